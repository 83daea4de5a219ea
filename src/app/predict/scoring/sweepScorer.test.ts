/** The worker scorer with a fake Worker: answers by key, and a dead worker rejects what waits and is replaced. */
import { describe, expect, it } from 'vitest';
import type { SweepInput, SweepScores } from './sweepScores';
import { createWorkerSweepScorer } from './sweepScorer';

class FakeWorker {
  onmessage: ((m: MessageEvent) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  posted: { key: string }[] = [];
  terminated = false;
  postMessage(message: { key: string }) { this.posted.push(message); }
  terminate() { this.terminated = true; }
  reply(data: unknown) { this.onmessage?.({ data } as MessageEvent); }
  crash(message: string) { this.onerror?.({ message, preventDefault() {} } as ErrorEvent); }
}

const input: SweepInput = { foreground: new Float32Array(4), classes: new Int32Array(4), width: 2, height: 2 };
const scores: SweepScores = { pixelError: 0.1, adaptedRandError: 0.2, vRand: 0.8, vInfo: 0.9, isbi: null, perThreshold: [] };

describe('createWorkerSweepScorer', () => {
  it('resolves each request with the reply of its key, and survives a crash with a fresh worker', async () => {
    const workers: FakeWorker[] = [];
    const scorer = createWorkerSweepScorer(() => { const w = new FakeWorker(); workers.push(w); return w as unknown as Worker; });
    const a = scorer.score('a#1', input);
    const b = scorer.score('b#1', input);
    expect(workers).toHaveLength(1);
    workers[0]!.reply({ key: 'b#1', scores });
    await expect(b).resolves.toEqual(scores);
    workers[0]!.reply({ key: 'a#1', error: 'bad input' });
    await expect(a).rejects.toThrow('bad input');

    const c = scorer.score('c#1', input);
    workers[0]!.crash('out of memory');
    await expect(c).rejects.toThrow('the scoring worker stopped (out of memory)');
    expect(workers[0]!.terminated).toBe(true);
    const d = scorer.score('d#1', input);
    expect(workers).toHaveLength(2);
    workers[1]!.reply({ key: 'd#1', scores });
    await expect(d).resolves.toEqual(scores);
  });
});
