/* Plain data and arithmetic only: the page reads the schedule names without pulling tfjs into its bundle. */

/**
 * How the learning rate moves over one run: held, or down half a cosine from the rate to a hundredth of
 * it at the end (PyTorch's CosineAnnealingLR with T_max the run's steps and eta_min rate / 100).
 */
export type LearningRateSchedule = 'constant' | 'cosine';

/** Where the cosine ends, as a share of the rate: the last steps settle the weights but still learn. */
export const COSINE_FLOOR = 0.01;

/** The rate of the step that follows `stepsDone` steps of a run of `totalSteps` (the first step: the rate itself). */
export function scheduledLearningRate(rate: number, schedule: LearningRateSchedule, stepsDone: number, totalSteps: number): number {
  if (schedule === 'constant' || !(totalSteps > 0)) return rate;
  const fraction = Math.min(Math.max(stepsDone / totalSteps, 0), 1);
  const floor = rate * COSINE_FLOOR;
  return floor + (rate - floor) * 0.5 * (1 + Math.cos(Math.PI * fraction));
}

/** A rate to three significant digits, as the Train panel's field writes numbers (0.001, 0.000235). */
export function formatLearningRate(rate: number): string {
  return String(Number(rate.toPrecision(3)));
}
