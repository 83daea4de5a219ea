import type { TrainingRun } from '../core/train/TrainingRun';
import type { EngineEvent } from './protocol';
import { PeakMemory } from './engineMemory';

/** Lets queued messages (pause, stop) in between steps: a step's awaits alone may all be microtasks. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Drives a TrainingRun step by step with pause, resume and stop, reporting progress, ETA and
 * validation. Pause takes effect between steps; stop ends the run keeping the best weights.
 */
export class TrainingJob {
  private state: 'running' | 'paused' | 'stopping' = 'running';
  private wake: (() => void) | null = null;
  private readonly memory = new PeakMemory();
  readonly done: Promise<void>;

  constructor(
    private readonly run: TrainingRun,
    private readonly runId: string,
    private readonly totalSteps: number,
    private readonly validateEverySteps: number,
    private readonly post: (event: EngineEvent) => void,
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

  pause(): void {
    if (this.state === 'running') this.state = 'paused';
  }

  resume(): void {
    if (this.state !== 'paused') return;
    this.state = 'running';
    this.wake?.();
  }

  stop(): void {
    this.state = 'stopping';
    this.wake?.();
  }

  private async loop(): Promise<void> {
    const { runId, totalSteps } = this;
    let stepsPerSecond = 0;
    let step = 0;
    let completed = true;
    for (step = 1; step <= totalSteps; step++) {
      if (this.state === 'paused') {
        this.post({ type: 'train/paused', runId, step: step - 1 });
        await new Promise<void>((resolve) => { this.wake = resolve; });
        this.wake = null;
        if (!this.isStopping()) this.post({ type: 'train/resumed', runId, step: step - 1 });
      }
      if (this.isStopping()) {
        completed = false;
        step--;
        break;
      }
      const started = Date.now();
      const report = await this.run.step();
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
        if (validation) this.post({ type: 'train/validation', runId, ...validation, step });
      }
      await yieldToEventLoop();
    }
    this.run.restoreBest();
    this.post({ type: 'train/done', runId, reason: completed ? 'completed' : 'stopped', steps: Math.min(step, totalSteps), bestStep: this.run.bestStep });
  }
}
