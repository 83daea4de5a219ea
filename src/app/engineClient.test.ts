import { describe, expect, it } from 'vitest';
import type { EngineRequest } from '../engine/protocol';
import { EngineClient } from './engineClient';

/** A worker that records what the page posts, with what it moved. */
class RecordingWorker {
  readonly posted: { message: EngineRequest; transfer: Transferable[] }[] = [];
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  postMessage(message: EngineRequest, transfer: Transferable[] = []) { this.posted.push({ message, transfer }); }
}

describe('EngineClient', () => {
  it('posts at once when nothing is being prepared, and keeps the order of requests sent while one is', async () => {
    const worker = new RecordingWorker();
    const client = new EngineClient(worker as unknown as Worker);
    client.send({ type: 'dataset/remove', sliceId: 'a' });
    expect(worker.posted.map((p) => p.message.type)).toEqual(['dataset/remove']);

    let release: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => { release = resolve; });
    const pixels = new Uint8Array(4);
    client.sendPrepared(async () => {
      await ready; // a big copy, a part per task
      return { body: { type: 'dataset/put', slice: { id: 'b', name: 'b', width: 2, height: 2, channels: 1, dtype: 'uint8', pixels, classes: null, instances: null } }, transfer: [pixels.buffer] };
    });
    const predictRun = client.send({ type: 'predict/start', sliceIds: ['b'], testTimeAugmentation: false });
    expect(worker.posted).toHaveLength(1); // the prediction waits for its slice
    release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(worker.posted.map((p) => p.message.type)).toEqual(['dataset/remove', 'dataset/put', 'predict/start']);
    expect(worker.posted[2]!.message.runId).toBe(predictRun);
    expect(worker.posted[1]!.transfer).toEqual([pixels.buffer]);
    client.send({ type: 'dataset/remove', sliceId: 'b' });
    expect(worker.posted).toHaveLength(4); // the queue is empty again: at once
  });

  it('says so when a prepared request cannot be made, and goes on with the next', async () => {
    const worker = new RecordingWorker();
    const client = new EngineClient(worker as unknown as Worker);
    const events: unknown[] = [];
    client.subscribe((event) => events.push(event));
    client.sendPrepared(async () => { throw new Error('out of memory'); });
    client.send({ type: 'dataset/remove', sliceId: 'a' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(events).toEqual([expect.objectContaining({ type: 'error', error: expect.objectContaining({ message: expect.stringContaining('out of memory') }) })]);
    expect(worker.posted.map((p) => p.message.type)).toEqual(['dataset/remove']);
  });
});
