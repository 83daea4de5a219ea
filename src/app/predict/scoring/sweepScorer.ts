import { startWorker } from '../../startWorker';
import scoreWorkerUrl from './scoreWorker.ts?worker&url';
import type { SweepInput, SweepScores } from './sweepScores';
import { computeSweepScores } from './sweepScores';

/** Computes SweepScores somewhere (a worker in the page, inline in tests); one answer per key. */
export interface SweepScorer {
  score(key: string, input: SweepInput): Promise<SweepScores>;
}

/** Inline, on the calling thread: for Node tests (the page uses the worker). */
export const inlineSweepScorer: SweepScorer = {
  score: (_key, input) => Promise.resolve().then(() => computeSweepScores(input)),
};

type Reply = { key: string; scores: SweepScores } | { key: string; error: string };

const createScoreWorker = () => startWorker(scoreWorkerUrl, 'scoring');

/**
 * A module worker that scores one slice at a time, in order; the inputs are copies, the caller
 * keeps its arrays. If the worker dies (fails to load, runs out of memory), every waiting request
 * is rejected with the reason and the next request starts a fresh worker.
 */
export function createWorkerSweepScorer(makeWorker: () => Worker = createScoreWorker): SweepScorer {
  const waiting = new Map<string, { resolve: (s: SweepScores) => void; reject: (e: Error) => void }>();
  let worker: Worker | null = null;
  const fail = (why: string) => {
    worker?.terminate();
    worker = null;
    const entries = [...waiting.values()];
    waiting.clear();
    for (const entry of entries) entry.reject(new Error(why));
  };
  const start = (): Worker => {
    const w = makeWorker();
    w.onmessage = (message: MessageEvent<Reply>) => {
      const reply = message.data;
      const entry = waiting.get(reply.key);
      if (!entry) return;
      waiting.delete(reply.key);
      if ('error' in reply) entry.reject(new Error(reply.error));
      else entry.resolve(reply.scores);
    };
    w.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      fail(`the scoring worker stopped (${event.message || 'it failed to load or crashed'})`);
    };
    w.onmessageerror = () => fail('the scoring worker sent a message that could not be read');
    return w;
  };
  return {
    score(key, input) {
      return new Promise((resolve, reject) => {
        waiting.set(key, { resolve, reject });
        worker ??= start();
        worker.postMessage({ key, input });
      });
    },
  };
}
