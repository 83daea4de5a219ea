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
  /** Runs our operation once (called repeatedly; the runner takes the median). */
  run(): Promise<void> | void;
  /** Timed runs at least (default 3); 1 for cases that take many seconds. */
  readonly minRuns?: number;
  /** Optional one-time set-up whose cost is not timed. */
  setup?(): Promise<void> | void;
  /** The peer: the Python script (relative to the repo) and the key it prints timings under. */
  readonly peer?: BenchPeer;
  /** More peers for the same row (e.g. two SciPy recipes). */
  readonly extraPeers?: readonly BenchPeer[];
}

export interface BenchPeer {
  /** Shown as the column heading, e.g. "SciPy". */
  readonly name: string;
  /** Path relative to the repository root, run with Debian's /usr/bin/python3 and the data folder as argv[1]. */
  readonly script: string;
  /** The key the script's JSON output has this row's median milliseconds under. */
  readonly key: string;
}
