/* Plain data only, no tfjs import: the page reads these presets without pulling tfjs into its bundle. */
import type { LearningRateSchedule } from './learningRateSchedule';

/** Plain-data optimiser settings: they travel to the worker and into the model's metadata. */
export type OptimizerSpec = (
  | { readonly kind: 'sgd-momentum'; readonly learningRate: number; readonly momentum: number }
  | { readonly kind: 'adam'; readonly learningRate: number }
) & {
  /** Over each run's steps; absent: constant (settings saved before schedules). */
  readonly schedule?: LearningRateSchedule;
};

/** The paper's SGD with momentum 0.99. */
export const PAPER_OPTIMIZER: OptimizerSpec = { kind: 'sgd-momentum', learningRate: 0.01, momentum: 0.99 };
/** Adam for the fast preset. */
export const FAST_OPTIMIZER: OptimizerSpec = { kind: 'adam', learningRate: 1e-3 };
