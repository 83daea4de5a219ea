import type { StudioStore } from '../../store/createStudioStore';
import { autosaveFailure } from './autosaveFailure';

/** One write: what it stores (for the failure message, after "store"), its size, and how to start it. */
export interface AutosaveJob {
  /** "the model", "the labels of \"cells-01\"". */
  readonly what: string;
  readonly bytes: number;
  /** Issues the write; resolves once the browser has committed it. */
  readonly run: () => Promise<void>;
  /**
   * Whether the write stores the whole part (all of a slice's labels), not just some of it (a
   * stroke's tiles). Only a whole write, started after a failure, clears that failure. Default true.
   */
  readonly whole?: boolean;
}

interface Failure {
  readonly message: string;
  readonly bytes: number;
  readonly retry: () => void;
  /** When the failed write started (see `started`): only a later whole write supersedes it. */
  readonly started: number;
  retrying: boolean;
}

/**
 * Every database write goes through here, and store.project mirrors them: 'saving' from the moment a
 * change is waiting to be written until it is on disk, then 'saved' with the time, or 'failed' while
 * some part (a slice, one slice's labels, the meta, the model) has not been stored since it failed.
 *
 * `now` writes start at once, in the caller's task (so a stroke's write is out before the page can
 * unload); `queue` writes (a slice's many chunks) run one after another. IndexedDB orders
 * transactions on the same stores by when they were created, so the two kinds never reorder data.
 */
export class AutosaveWriter {
  private tail: Promise<void>;
  private running = 0;
  /** Counts write starts, so a failure knows which later writes could have stored its data. */
  private started = 0;
  /**
   * Per part, the queued write not started yet: a newer request updates its `prepare` (it would store
   * newer data) and keeps its place. `token` ties it to its place in the queue.
   */
  private readonly waiting = new Map<string, { prepare: () => AutosaveJob | null; readonly token: symbol }>();
  private readonly failures = new Map<string, Failure>();
  /** While false (restoring, deleting the project) the status is left to the caller. */
  private reporting = false;
  private stopped = false;

  /**
   * @param deferred how many changes wait for a quiet time before they are written (debounced
   *   saves): they count as unsaved too.
   */
  constructor(
    private readonly store: StudioStore,
    start: Promise<unknown>,
    private readonly deferred: () => number = () => 0,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.tail = start.then(() => undefined, () => undefined);
  }

  /** Starts `job` now. `retry` starts the same part again (with its latest data) after a failure. */
  writeNow(part: string, job: AutosaveJob, retry: () => void): void {
    if (this.stopped) return;
    this.begin();
    void this.finish(part, job, retry, ++this.started, start(job));
  }

  /**
   * Queues a write of `part` after every earlier queued one. `prepare` runs when its turn comes and
   * returns null when there is nothing to write any more. After a failure `retry` runs (default:
   * the same part queued again).
   */
  queue(part: string, prepare: () => AutosaveJob | null, retry?: () => void): void {
    if (this.stopped) return;
    const queued = this.waiting.get(part);
    if (queued) {
      queued.prepare = prepare;
      return;
    }
    const token = Symbol(part);
    this.waiting.set(part, { prepare, token });
    this.begin();
    this.tail = this.tail.then(async () => {
      const entry = this.waiting.get(part);
      if (entry?.token !== token) return this.end(); // cancelled, or queued again behind
      this.waiting.delete(part);
      const latest = entry.prepare;
      let job: AutosaveJob | null = null;
      try {
        job = this.stopped || !latest ? null : latest();
      } catch (error) {
        // A bug while preparing: recorded as this part's failure, and the queue goes on.
        job = { what: part, bytes: 0, run: () => Promise.reject(error) };
      }
      if (!job || !latest) return this.end();
      await this.finish(part, job, retry ?? (() => this.queue(part, latest)), ++this.started, start(job));
    });
  }

  /** Drops the queued writes of parts starting with `prefix` (a new set of slices replaces theirs). */
  cancelQueued(prefix: string): void {
    for (const part of [...this.waiting.keys()]) if (part.startsWith(prefix)) this.waiting.delete(part);
  }

  /** Whether a failure is recorded for `part` (its next write must cover what the failed one held). */
  hasFailed(part: string): boolean {
    return this.failures.has(part);
  }

  /** Anything not on disk yet: a write waiting, running or failed. */
  get unsaved(): boolean {
    return this.running > 0 || this.deferred() > 0 || this.failures.size > 0;
  }

  /** Resolves once every queued write has finished. */
  idle(): Promise<void> {
    return this.tail;
  }

  /** Starts showing progress in the store (after the restore). */
  report(): void {
    this.reporting = true;
    if (this.running > 0 || this.deferred() > 0) this.setSaving();
  }

  /** Call when a deferred write was scheduled: the status says 'saving' at once, not when the write starts. */
  changed(): void {
    if (this.reporting) this.setSaving();
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

  private begin(): void {
    this.running++;
    if (this.reporting) this.setSaving();
  }

  private end(): void {
    this.running--;
    this.settle();
  }

  private async finish(part: string, job: AutosaveJob, retry: () => void, started: number, done: Promise<void>): Promise<void> {
    try {
      await done;
      // Only a whole write begun after the failure holds what the failed one held; a stroke's tiles do not.
      const failed = this.failures.get(part);
      if (failed && job.whole !== false && started > failed.started) this.failures.delete(part);
      // A new set of slices replaced everything stored before it: older slice failures no longer apply (each new slice is saved on its own).
      if (part === 'slices') {
        for (const [key, failure] of [...this.failures]) if ((key.startsWith('labels:') || key.startsWith('slice:')) && failure.started < started) this.failures.delete(key);
      }
      // A write went through, so there may be room again: retry what failed (once per success).
      for (const failure of this.failures.values()) {
        if (failure.retrying) continue;
        failure.retrying = true;
        failure.retry();
      }
    } catch (error) {
      const failure = autosaveFailure(job.what, job.bytes, error);
      // Painting on with a full disk fails the same way at every stroke: tell the user once.
      if (this.failures.get(part)?.message !== failure.message) this.store.setState((s) => ({ errors: [...s.errors, failure] }));
      // The latest failure of a part is the one to supersede (an earlier one's data is in it or older).
      this.failures.set(part, { message: failure.message, bytes: job.bytes, retry, started: Math.max(started, this.failures.get(part)?.started ?? 0), retrying: false });
    } finally {
      this.end();
    }
  }

  private setSaving(): void {
    if (this.store.getState().project.persistence === 'saving') return;
    this.store.setState((s) => ({ project: { ...s.project, persistence: 'saving' } }));
  }

  private settle(): void {
    if (!this.reporting) return;
    if (this.running > 0 || this.deferred() > 0) {
      this.setSaving();
      return;
    }
    // Several parts failed: name the biggest, the loss that matters (every failure is in the errors).
    const failed = [...this.failures.values()].sort((a, b) => b.bytes - a.bytes)[0];
    this.store.setState((s) => ({
      project: failed !== undefined
        ? { ...s.project, persistence: 'failed', message: this.failures.size > 1 ? `${failed.message} (${this.failures.size - 1} more parts not saved either)` : failed.message }
        : { ...s.project, persistence: 'saved', lastSavedAt: this.now().toISOString(), message: null },
    }));
  }
}

/** Runs a job; a synchronous throw becomes a rejection. */
function start(job: AutosaveJob): Promise<void> {
  try {
    return job.run();
  } catch (error) {
    return Promise.reject(error);
  }
}
