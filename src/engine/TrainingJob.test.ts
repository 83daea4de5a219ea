import { describe, expect, it } from 'vitest';
import type { TrainingRun } from '../core/train/TrainingRun';
import type { EngineEvent } from './protocol';
import { TrainingJob } from './TrainingJob';

/** A run whose steps cost nothing: the job's pausing is what is under test, not training. */
function fakeRun(): { run: TrainingRun; stepsTaken: () => number; log: string[] } {
  let steps = 0;
  const log: string[] = [];
  const run = {
    step: async () => {
      log.push(`step ${steps + 1}`);
      return { step: ++steps, loss: 1 / steps, learningRate: 1e-3, tilesPerSecond: 10 };
    },
    validate: async () => null,
    keepResult: () => void log.push('keep result'),
    presentResult: () => {
      log.push('present result');
      return () => void log.push('restore trained');
    },
    bestStep: null,
  } as unknown as TrainingRun;
  return { run, stepsTaken: () => steps, log };
}

function startJob(totalSteps: number) {
  const events: EngineEvent[] = [];
  const waiters: (() => void)[] = [];
  const { run, stepsTaken, log } = fakeRun();
  const job = new TrainingJob(run, 'run-1', totalSteps, Number.MAX_SAFE_INTEGER, (event) => {
    events.push(event);
    waiters.splice(0).forEach((wake) => wake());
  });
  /** The n-th (1-based) event of this type, once it has come. */
  const nth = async <T extends EngineEvent['type']>(type: T, n = 1): Promise<Extract<EngineEvent, { type: T }>> => {
    for (;;) {
      const found = events.filter((e) => e.type === type);
      if (found.length >= n) return found[n - 1] as Extract<EngineEvent, { type: T }>;
      await new Promise<void>((wake) => waiters.push(wake));
    }
  };
  return { job, events, nth, stepsTaken, log };
}

describe('TrainingJob', () => {
  it('pauses exactly after the step asked for, again after a later one, and at once when that step is already done', async () => {
    const { job, nth, stepsTaken } = startJob(50);
    job.pause(7);
    expect((await nth('train/paused')).step).toBe(7);
    expect(stepsTaken()).toBe(7);
    job.resume();
    job.pause(12);
    expect((await nth('train/paused', 2)).step).toBe(12);
    expect(stepsTaken()).toBe(12);
    // Already past step 3: the pause takes effect before the next step, as a plain pause does.
    job.resume();
    job.pause(3);
    expect((await nth('train/paused', 3)).step).toBe(13);
    job.stop();
    expect(await nth('train/done')).toMatchObject({ reason: 'stopped', steps: 13 });
  });

  it('a later pause replaces one asked for at a step: a plain pause pauses now, and the step asked for before no longer pauses', async () => {
    const { job, nth, events } = startJob(50);
    job.pause(40);
    job.pause();
    expect((await nth('train/paused')).step).toBeLessThan(40);
    job.resume();
    expect(await nth('train/done')).toMatchObject({ reason: 'completed', steps: 50 });
    expect(events.filter((e) => e.type === 'train/paused')).toHaveLength(1);
  });

  it('while paused the model is the run\'s result (its weight average); resuming puts the trained weights back first', async () => {
    const { job, nth, log } = startJob(5);
    job.pause(2);
    await nth('train/paused');
    job.resume();
    await nth('train/done');
    expect(log).toEqual(['step 1', 'step 2', 'present result', 'restore trained', 'step 3', 'step 4', 'step 5', 'keep result']);
  });

  it('runs to the end when the step asked for lies beyond it', async () => {
    const { job, nth, events } = startJob(5);
    job.pause(9);
    expect(await nth('train/done')).toMatchObject({ reason: 'completed', steps: 5 });
    expect(events.some((e) => e.type === 'train/paused')).toBe(false);
  });
});
