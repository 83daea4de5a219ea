import type { StudioStore } from '../../store/createStudioStore';
import { autosaveFailure } from './autosaveFailure';

/** One write, prepared when its turn comes (so it stores the latest data). */
export interface AutosaveJob {
  /** For the failure message, after "store": "the model", "the labels of \"cells-01\"". */
  readonly what: string;
  readonly bytes: number;
  readonly run: () => Promise<void>;
}

interface Failure {
  readonly message: string;
  readonly bytes: number;
  readonly prepare: () => AutosaveJob | null;
  retrying: boolean;
}

/**
 * Runs database writes one at a time, in order, and mirrors them into store.project:
 * 'saving' while any is queued, then 'saved' with the time, or 'failed' while some part
 * (the slices, one slice's labels, the meta, the model) has not been saved since it failed.
 */
export class AutosaveWriter {
  private tail: Promise<void>;
  private queued = 0;
  /** Per part, the latest write not started yet: a newer one replaces it (it would store newer data). */
  private readonly waiting = new Map<string, () => AutosaveJob | null>();
  private readonly failures = new Map<string, Failure>();
  /** While false (restoring, deleting the project) the status is left to the caller. */
  private reporting = false;
  private stopped = false;

  constructor(private readonly store: StudioStore, start: Promise<unknown>, private readonly now: () => Date = () => new Date()) {
    this.tail = start.then(() => undefined, () => undefined);
  }

  /**
   * Queues a write of `part` ("slices", "labels:<id>", "meta", "model"). `prepare` runs when the
   * write's turn comes and returns null when there is nothing to write any more.
   */
  write(part: string, prepare: () => AutosaveJob | null): void {
    if (this.stopped) return;
    const alreadyQueued = this.waiting.has(part);
    this.waiting.set(part, prepare);
    if (alreadyQueued) return;
    this.queued++;
    this.setSaving();
    this.tail = this.tail.then(async () => {
      try {
        const latest = this.waiting.get(part);
        this.waiting.delete(part);
        const job = this.stopped || !latest ? null : latest();
        if (job && latest) await this.runJob(part, job, latest);
      } finally {
        this.queued--;
        if (this.queued === 0) this.settle();
      }
    });
  }

  /** Resolves once every queued write has finished. */
  idle(): Promise<void> {
    return this.tail;
  }

  /** Starts showing progress in the store (after the restore). */
  report(): void {
    this.reporting = true;
    if (this.queued > 0) this.setSaving();
  }

  /** Ignores every further write (the project is being deleted). */
  stop(): void {
    this.stopped = true;
    this.reporting = false;
  }

  resume(): void {
    this.stopped = false;
    this.reporting = true;
  }

  private async runJob(part: string, job: AutosaveJob, prepare: () => AutosaveJob | null): Promise<void> {
    try {
      await job.run();
      this.failures.delete(part);
      // A full save of the slices also stores every slice's labels.
      if (part === 'slices') for (const key of [...this.failures.keys()]) if (key.startsWith('labels:')) this.failures.delete(key);
      // A write went through, so there may be room again: retry what failed (once per success).
      for (const [failedPart, failure] of this.failures) {
        if (failure.retrying || this.waiting.has(failedPart)) continue;
        failure.retrying = true;
        this.write(failedPart, failure.prepare);
      }
    } catch (error) {
      const failure = autosaveFailure(job.what, job.bytes, error);
      // Painting on with a full disk fails the same way at every stroke: tell the user once.
      if (this.failures.get(part)?.message !== failure.message) this.store.setState((s) => ({ errors: [...s.errors, failure] }));
      this.failures.set(part, { message: failure.message, bytes: job.bytes, prepare, retrying: false });
    }
  }

  private setSaving(): void {
    if (!this.reporting) return;
    this.store.setState((s) => ({ project: { ...s.project, persistence: 'saving' } }));
  }

  private settle(): void {
    if (!this.reporting) return;
    // Several parts failed: name the biggest, the loss that matters (every failure is in the errors).
    const failed = [...this.failures.values()].sort((a, b) => b.bytes - a.bytes)[0];
    this.store.setState((s) => ({
      project: failed !== undefined
        ? { ...s.project, persistence: 'failed', message: failed.message }
        : { ...s.project, persistence: 'saved', lastSavedAt: this.now().toISOString(), message: null },
    }));
  }
}
