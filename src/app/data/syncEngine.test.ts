import { describe, expect, it } from 'vitest';
import type { EngineRequestBody } from '../engineClient';
import { EngineClient } from '../engineClient';
import { SliceRegistry } from './sliceRegistry';
import { syncEngineWithRegistry } from './syncEngine';

describe('syncEngineWithRegistry', () => {
  it('sends new slices whole, a stroke as just its rectangle (cut after the stroke\'s task), and a change of unknown extent whole', async () => {
    const sent: EngineRequestBody[] = [];
    let queue = Promise.resolve();
    const engine = {
      send: (body: EngineRequestBody) => { sent.push(body); return 'run'; },
      sendPrepared: (prepare: () => Promise<{ body: EngineRequestBody } | null>) => {
        queue = queue.then(async () => { const prepared = await prepare(); if (prepared) sent.push(prepared.body); });
      },
    } as unknown as EngineClient;
    const registry = new SliceRegistry();
    syncEngineWithRegistry(registry, engine);
    const classes = new Int32Array(6 * 4).fill(-1);
    registry.replaceAll([{ id: 'a', name: 'a.png', width: 6, height: 4, channels: 1, dtype: 'uint8', pixels: new Uint8Array(24), classes }]);
    expect(sent.map((b) => b.type)).toEqual(['dataset/put']);
    expect((sent[0] as Extract<EngineRequestBody, { type: 'dataset/put' }>).slice.classes).toBeNull(); // nothing labelled yet

    classes[1 * 6 + 2] = 1; // (2, 1)
    classes[2 * 6 + 3] = 0; // (3, 2)
    registry.labelsChanged('a', [{ x: 2, y: 1, width: 2, height: 2 }]);
    expect(sent).toHaveLength(1); // nothing cut in the stroke's own task
    await queue;
    expect(sent[1]).toEqual({ type: 'dataset/labels', sliceId: 'a', rect: { x: 2, y: 1, width: 2, height: 2 }, classes: Int32Array.of(1, -1, -1, 0) });

    registry.labelsChanged('a');
    expect(sent[2]?.type).toBe('dataset/put');
    expect(Array.from((sent[2] as Extract<EngineRequestBody, { type: 'dataset/put' }>).slice.classes ?? [])).toEqual(Array.from(classes));
  });
});

describe('syncEngineWithRegistry, big slices', () => {
  it('copies a slice over its part size a part per task, moves the copy, and a stroke made meanwhile follows it', async () => {
    const posted: { message: { type: string; slice?: { pixels: Uint8Array; classes: Int32Array | null }; rect?: unknown } }[] = [];
    const worker = { onmessage: null, onerror: null, postMessage: (message: never) => posted.push({ message }) };
    const engine = new EngineClient(worker as unknown as Worker);
    const registry = new SliceRegistry();
    let tasks = 0;
    syncEngineWithRegistry(registry, engine, { partBytes: 16, nextTask: async () => { tasks++; } });
    const pixels = Uint8Array.from({ length: 100 }, (_, i) => i);
    const classes = new Int32Array(100).fill(-1);
    classes[3] = 1;
    registry.replaceAll([{ id: 'a', name: 'a.png', width: 10, height: 10, channels: 1, dtype: 'uint8', pixels, classes }]);
    classes[55] = 0; // a stroke before the copy is done
    registry.labelsChanged('a', [{ x: 5, y: 5, width: 1, height: 1 }]);
    expect(posted).toEqual([]); // nothing yet: the copy is being made
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(posted.map((p) => p.message.type)).toEqual(['dataset/put', 'dataset/labels']);
    const put = posted[0]!.message.slice!;
    expect(Array.from(put.pixels)).toEqual(Array.from(pixels));
    expect(put.pixels).not.toBe(pixels);
    expect(Array.from(put.classes ?? [])).toEqual(Array.from(classes));
    expect(tasks).toBe(Math.ceil(100 / 16) + Math.ceil(400 / 16) + 1); // pixels in 7 parts, classes in 25, then the stroke's rectangle
    expect(pixels.length).toBe(100); // the page keeps its own arrays
  });
});
