/// <reference lib="webworker" />
import '../../../engine/guardWorkerNetwork'; // first: nothing below may reach the network
import type { SweepInput } from './sweepScores';
import { computeSweepScores } from './sweepScores';

/** Scores slices off the main thread: a stack of 20 slices takes ~20 s of sweeps and watersheds. */
declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (message: MessageEvent<{ key: string; input: SweepInput }>) => {
  const { key, input } = message.data;
  try {
    self.postMessage({ key, scores: computeSweepScores(input) });
  } catch (error) {
    self.postMessage({ key, error: error instanceof Error ? error.message : String(error) });
  }
};
