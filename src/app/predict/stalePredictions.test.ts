/** A prediction made before the model changed is stale: after training, an import or restored weights. */
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../engine/protocol';
import { createStudioStore } from '../../store/createStudioStore';
import { connectEngine } from '../connectEngine';
import type { EngineClient } from '../engineClient';
import { staleSliceIds } from './stalePredictions';

describe('stale predictions', () => {
  it('marks the slices predicted before the model last changed', () => {
    expect(staleSliceIds({ a: 1, b: 2, c: 2 }, 2)).toEqual(['a']);
    expect(staleSliceIds({ a: 2 }, 2)).toEqual([]);
  });

  it('a finished training run with steps, and an import, each make a new model revision; a run without steps does not', () => {
    const listeners = new Set<(e: EngineEvent) => void>();
    const engine = { send: () => 'r', init: () => 'i', subscribe: (l: (e: EngineEvent) => void) => { listeners.add(l); return () => listeners.delete(l); } } as unknown as EngineClient;
    const store = createStudioStore();
    connectEngine(engine, store);
    const emit = (e: EngineEvent) => listeners.forEach((l) => l(e));
    emit({ type: 'train/done', runId: 't', reason: 'completed', steps: 5, bestStep: null });
    expect(store.getState().model.revision).toBe(1);
    emit({ type: 'train/done', runId: 't2', reason: 'stopped', steps: 0, bestStep: null });
    expect(store.getState().model.revision).toBe(1);
    emit({ type: 'model/imported', runId: 'm', metadata: { architecture: { architecture: 'unet' }, training: { preset: 'fast', steps: 1 }, tile: { inputTilePx: 64 } } as never });
    expect(store.getState().model.revision).toBe(2);
  });
});
