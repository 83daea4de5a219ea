/**
 * Hands items on in batches, at most one batch every `intervalMs`: the first item after a quiet
 * spell at once, the ones that follow it within the interval together when it ends. The tiny
 * preset steps ~14 times a second on a CPU, and each store update it caused cost ~30 ms of CPU
 * across the browser's processes (the curve re-rendered, painted and composited: 13.6 s besides the
 * engine worker for 300 steps, 7.0 s at four updates a second), time taken from the training on a
 * 2-core machine; four updates a second show the same curve.
 */
export class ProgressBatch<T> {
  private pending: T[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastAt = -Infinity;

  constructor(private readonly apply: (items: readonly T[]) => void, private readonly intervalMs: number) {}

  add(item: T): void {
    this.pending.push(item);
    if (this.timer !== null) return;
    const waitMs = this.lastAt + this.intervalMs - Date.now();
    if (waitMs <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), waitMs);
  }

  /** Hands on what is pending now (something else happens next: it must come after these). */
  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0) return;
    const items = this.pending;
    this.pending = [];
    this.lastAt = Date.now();
    this.apply(items);
  }

  /** Hands on what is pending, and lets the next item through at once (a new run's first step shows without delay). */
  restart(): void {
    this.flush();
    this.lastAt = -Infinity;
  }
}
