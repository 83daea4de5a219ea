/** The worker import runner with a fake Worker: one worker per import, ended when it answers; a newer import ends an older one. */
import { describe, expect, it } from 'vitest';
import type { ImportResult } from './importFiles';
import { createWorkerImportRunner } from './importRunner';

class FakeWorker {
  onmessage: ((m: MessageEvent) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  posted: unknown[] = [];
  terminated = false;
  postMessage(message: unknown) { this.posted.push(message); }
  terminate() { this.terminated = true; }
  reply(data: unknown) { this.onmessage?.({ data } as MessageEvent); }
  crash(message: string) { this.onerror?.({ message } as ErrorEvent); }
}

const result: ImportResult = { records: [], classCounts: [], summary: 'nothing', problems: [], classNames: ['background', 'foreground'], labelFiles: [], pairing: { images: [], labels: [] } };
const files = [{ path: 'a.png', file: new Blob([new Uint8Array(3)]) }];

describe('createWorkerImportRunner', () => {
  it('sends the files as Blobs to a fresh worker, resolves with its result and ends it; errors and crashes reject', async () => {
    const workers: FakeWorker[] = [];
    const run = createWorkerImportRunner(() => { const w = new FakeWorker(); workers.push(w); return w as unknown as Worker; });
    const first = run(files);
    expect(workers[0]!.posted).toEqual([{ files: [{ path: 'a.png', file: files[0]!.file }], pairedByHand: [] }]);
    workers[0]!.reply({ result });
    await expect(first).resolves.toEqual(result);
    expect(workers[0]!.terminated).toBe(true);

    const failing = run(files);
    workers[1]!.reply({ error: 'decoder bug' });
    await expect(failing).rejects.toThrow('decoder bug');
    const crashing = run(files);
    workers[2]!.crash('Out of memory');
    await expect(crashing).rejects.toThrow('Out of memory');
  });

  it('a newer import ends an older one still running, which rejects', async () => {
    const workers: FakeWorker[] = [];
    const run = createWorkerImportRunner(() => { const w = new FakeWorker(); workers.push(w); return w as unknown as Worker; });
    const older = run(files);
    const newer = run(files);
    await expect(older).rejects.toThrow('A newer import replaced this one.');
    expect(workers[0]!.terminated).toBe(true);
    workers[1]!.reply({ result });
    await expect(newer).resolves.toEqual(result);
  });
});
