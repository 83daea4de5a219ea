import type { TrainingRun } from '../core/train/TrainingRun';
import type { EngineEvent } from './protocol';
import { PeakMemory } from './engineMemory';

/** Lets queued messages (pause, stop) in between steps: a step's awaits alone may all be microtasks. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Called after each finished step (`final` false) and where the weights must be kept now: at pause and at the end. */
export type CheckpointHook = (final: boolean) => Promise<void>;

/**
 * Drives a TrainingRun step by step with pause, resume and stop, reporting progress, ETA and
 * validation. Pause takes effect between steps; stop ends the run keeping the best weights.
 * Abandon (the backend is gone) ends it at once, silently: nothing of the run can be used.
 */
export class TrainingJob {
  private state: 'running' | 'paused' | 'stopping' | 'abandoned' = 'running';
  private wake: (() => void) | null = null;
  /** A pause asked for at a step not reached yet. */
  private pauseAfterStep: number | null = null;
  private readonly memory = new PeakMemory();
  readonly done: Promise<void>;

  constructor(
    private readonly run: TrainingRun,
    readonly runId: string,
    private readonly totalSteps: number,
    private readonly validateEverySteps: number,
    private readonly post: (event: EngineEvent) => void,
    private readonly checkpoint: CheckpointHook = async () => {},
  ) {
    this.done = this.loop();
  }

  get isPaused(): boolean {
    return this.state === 'paused';
  }

  /** A method, not a field read, because pause()/stop() change the state while the loop awaits. */
  private isStopping(): boolean {
    return this.state === 'stopping';
  }

  /** Pauses before the next step, or (with `afterStep`) before the first step after that one. */
  pause(afterStep?: number): void {
    this.pauseAfterStep = afterStep ?? null;
    if (afterStep === undefined && this.state === 'running') this.state = 'paused';
  }

  resume(): void {
    if (this.state !== 'paused') return;
    this.state = 'running';
    this.wake?.();
  }

  stop(): void {
    if (this.state === 'abandoned') return;
    this.state = 'stopping';
    this.wake?.();
  }

  /** The backend died under the run: end the loop at its next chance and post nothing more. */
  abandon(): void {
    this.state = 'abandoned';
    this.wake?.();
  }

  get isAbandoned(): boolean {
    return this.state === 'abandoned';
  }

  private async loop(): Promise<void> {
    const { runId, totalSteps } = this;
    let stepsPerSecond = 0;
    let step = 0;
    let completed = true;
    for (step = 1; step <= totalSteps; step++) {
      if (this.pauseAfterStep !== null && step > this.pauseAfterStep) {
        this.pauseAfterStep = null;
        if (this.state === 'running') this.state = 'paused';
      }
      if (this.state === 'paused') {
        // While paused the model is the run's result so far (its weight average): what Predict and exports use.
        const restoreTrained = this.run.presentResult();
        await this.checkpoint(true);
        this.post({ type: 'train/paused', runId, step: step - 1 });
        await new Promise<void>((resolve) => { this.wake = resolve; });
        this.wake = null;
        if (this.isAbandoned) return;
        restoreTrained();
        if (!this.isStopping()) this.post({ type: 'train/resumed', runId, step: step - 1 });
      }
      if (this.isAbandoned) return;
      if (this.isStopping()) {
        completed = false;
        step--;
        break;
      }
      const started = Date.now();
      const report = await this.run.step();
      if (this.isAbandoned) return;
      const rate = 1000 / Math.max(Date.now() - started, 1);
      stepsPerSecond = stepsPerSecond === 0 ? rate : 0.9 * stepsPerSecond + 0.1 * rate; // smoothed for a steady ETA
      if (report.recoveredMessage) this.post({ type: 'train/notice', runId, message: report.recoveredMessage });
      this.post({
        type: 'train/progress',
        runId,
        step,
        totalSteps,
        loss: report.loss,
        learningRate: report.learningRate,
        tilesPerSecond: report.tilesPerSecond,
        etaSeconds: (totalSteps - step) / stepsPerSecond,
        memory: this.memory.sample(),
      });
      if (step % this.validateEverySteps === 0 || step === totalSteps) {
        const validation = await this.run.validate();
        if (this.isAbandoned) return;
        if (validation) this.post({ type: 'train/validation', runId, ...validation, step });
      }
      await this.checkpoint(false);
      await yieldToEventLoop();
    }
    if (this.isAbandoned) return;
    this.run.keepResult();
    await this.checkpoint(true);
    this.post({ type: 'train/done', runId, reason: completed ? 'completed' : 'stopped', steps: Math.min(step, totalSteps), bestStep: this.run.bestStep });
  }
}
