import type { SweepInput, SweepScores } from './sweepScores';
import { computeSweepScores } from './sweepScores';

/** Computes SweepScores somewhere (a worker in the page, inline in tests); one answer per key. */
export interface SweepScorer {
  score(key: string, input: SweepInput): Promise<SweepScores>;
}

/** Inline, for Node tests and browsers without module workers. */
export const inlineSweepScorer: SweepScorer = {
  score: (_key, input) => Promise.resolve().then(() => computeSweepScores(input)),
};

type Reply = { key: string; scores: SweepScores } | { key: string; error: string };

/** A module worker that scores one slice at a time, in order; the inputs are copies, the caller keeps its arrays. */
export function createWorkerSweepScorer(
  worker: Worker = new Worker(new URL('./scoreWorker.ts', import.meta.url), { type: 'module' }),
): SweepScorer {
  const waiting = new Map<string, { resolve: (s: SweepScores) => void; reject: (e: Error) => void }>();
  worker.onmessage = (message: MessageEvent<Reply>) => {
    const reply = message.data;
    const entry = waiting.get(reply.key);
    if (!entry) return;
    waiting.delete(reply.key);
    if ('error' in reply) entry.reject(new Error(reply.error));
    else entry.resolve(reply.scores);
  };
  return {
    score(key, input) {
      return new Promise((resolve, reject) => {
        waiting.set(key, { resolve, reject });
        worker.postMessage({ key, input });
      });
    },
  };
}
