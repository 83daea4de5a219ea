/**
 * A benchmark row: one operation of ours, timed beside an independent peer
 * (SciPy, tifffile, PyTorch) measured in the same run on the same machine.
 * Case modules in bench/cases/ export `cases: BenchCase[]`; bench/run.ts runs them all.
 */
export interface BenchCase {
  /** Stable id, also the key the peer script reports under. */
  readonly id: string;
  /** What is measured, for the Markdown table. */
  readonly description: string;
  /** Group heading in the report, e.g. "preprocessing". */
  readonly group: string;
  /**
   * Runs our operation once (called repeatedly; the runner takes the median). Returning a number
   * reports the run's own measurement in ms (e.g. timed inside a browser page) instead of the
   * runner's wall time around the call.
   */
  run(): Promise<void | number> | void | number;
  /** Untimed first call (shader compilation, caches); `run` when absent. */
  warmUp?(): Promise<void> | void;
  /** Timed runs at least (default 3); 1 for cases that take many seconds. */
  readonly minRuns?: number;
  /** Optional one-time set-up whose cost is not timed. */
  setup?(): Promise<void> | void;
  /** The peer: the Python script (relative to the repo) and the key it prints timings under. */
  readonly peer?: BenchPeer;
  /** More peers for the same row (e.g. two SciPy recipes). */
  readonly extraPeers?: readonly BenchPeer[];
  /** What the row ran on and measured besides time, known only after it ran (called after timing, also after a failure). */
  report?(): BenchReport;
  /** Called once after every row has run (before the peers): close what setup opened (a browser, a server). */
  teardown?(): Promise<void> | void;
}

/** Tags and extra measurements of a row, filled in after it ran. */
export interface BenchReport {
  /** Compute backend, e.g. "webgpu", "wasm". */
  readonly backend?: string;
  /** GPU adapter or CPU description, e.g. "SwiftShader". */
  readonly adapter?: string;
  /** Appended to the row's description (e.g. GFLOP/s). */
  readonly note?: string;
  /** Extra numbers: long tasks, heap, GFLOP/s. */
  readonly metrics?: Readonly<Record<string, number>>;
}

/** Thrown by a case's setup or run when the row cannot run here; the row reports the reason as skipped, not failed. */
export class BenchSkip extends Error {
  override readonly name = 'BenchSkip';
}

export interface BenchPeer {
  /** Shown as the column heading, e.g. "SciPy". */
  readonly name: string;
  /**
   * Path relative to the repository root, run with the data folder as its argument: by Debian's /usr/bin/python3, or
   * (`runtime: 'node'`, a TypeScript peer such as onnxruntime-web) by this Node with the bench's own loader (tsx).
   */
  readonly script: string;
  readonly runtime?: 'python' | 'node';
  /** The key the script's JSON output has this row's median milliseconds under. */
  readonly key: string;
}
