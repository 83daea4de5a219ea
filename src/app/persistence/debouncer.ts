interface Pending {
  timer: ReturnType<typeof setTimeout>;
  readonly firstAt: number;
  run: () => void;
}

/**
 * Per-key trailing debounce: repeated calls within `waitMs` coalesce into one run (the last one),
 * but a key never waits longer than `maxWaitMs` after its first call, so steady activity
 * (painting, training progress) still gets saved now and then.
 */
export class Debouncer {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly waitMs: number, private readonly maxWaitMs: number = waitMs * 4) {}

  schedule(key: string, run: () => void): void {
    const now = Date.now();
    const previous = this.pending.get(key);
    if (previous) clearTimeout(previous.timer);
    const firstAt = previous?.firstAt ?? now;
    const delayMs = Math.max(0, Math.min(this.waitMs, firstAt + this.maxWaitMs - now));
    this.pending.set(key, { firstAt, run, timer: setTimeout(() => this.fire(key), delayMs) });
  }

  /** Runs every pending call now (the page is being hidden). */
  flushAll(): void {
    for (const key of [...this.pending.keys()]) this.fire(key);
  }

  /** Drops every pending call (the project is being deleted). */
  cancelAll(): void {
    for (const entry of this.pending.values()) clearTimeout(entry.timer);
    this.pending.clear();
  }

  /** Drops pending calls whose key starts with `prefix`. */
  cancel(prefix: string): void {
    for (const [key, entry] of this.pending) {
      if (!key.startsWith(prefix)) continue;
      clearTimeout(entry.timer);
      this.pending.delete(key);
    }
  }

  get size(): number {
    return this.pending.size;
  }

  private fire(key: string): void {
    const entry = this.pending.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.pending.delete(key);
    entry.run();
  }
}
