import { describe, expect, it } from 'vitest';
import type { EngineClient, EngineRequestBody } from '../engineClient';
import { SliceRegistry } from './sliceRegistry';
import { syncEngineWithRegistry } from './syncEngine';

describe('syncEngineWithRegistry', () => {
  it('sends new slices whole, a stroke as just its rectangle, and a change of unknown extent whole', () => {
    const sent: EngineRequestBody[] = [];
    const engine = { send: (body: EngineRequestBody) => { sent.push(body); return 'run'; } } as unknown as EngineClient;
    const registry = new SliceRegistry();
    syncEngineWithRegistry(registry, engine);
    const classes = new Int32Array(6 * 4).fill(-1);
    registry.replaceAll([{ id: 'a', name: 'a.png', width: 6, height: 4, channels: 1, dtype: 'uint8', pixels: new Uint8Array(24), classes }]);
    expect(sent.map((b) => b.type)).toEqual(['dataset/put']);
    expect((sent[0] as Extract<EngineRequestBody, { type: 'dataset/put' }>).slice.classes).toBeNull(); // nothing labelled yet

    classes[1 * 6 + 2] = 1; // (2, 1)
    classes[2 * 6 + 3] = 0; // (3, 2)
    registry.labelsChanged('a', [{ x: 2, y: 1, width: 2, height: 2 }]);
    expect(sent[1]).toEqual({ type: 'dataset/labels', sliceId: 'a', rect: { x: 2, y: 1, width: 2, height: 2 }, classes: Int32Array.of(1, -1, -1, 0) });

    registry.labelsChanged('a');
    expect(sent[2]?.type).toBe('dataset/put');
    expect(Array.from((sent[2] as Extract<EngineRequestBody, { type: 'dataset/put' }>).slice.classes ?? [])).toEqual(Array.from(classes));
  });
});
