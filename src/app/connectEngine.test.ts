/**
 * connectEngine's handling of a lost GPU device: the user is told what ended and which weights
 * are kept, the header shows the new backend, the Train panel is free again, and the model is
 * kept, described from the kept step, or marked gone when no weights were kept.
 */
import { describe, expect, it } from 'vitest';
import type { BackendReport, EngineEvent, EngineEventOf } from '../engine/protocol';
import { createStudioStore } from '../store/createStudioStore';
import { connectEngine } from './connectEngine';
import type { EngineClient } from './engineClient';

function connected() {
  const listeners = new Set<(e: EngineEvent) => void>();
  const engine = {
    send: () => 'run-x',
    init: () => 'run-init',
    subscribe: (l: (e: EngineEvent) => void) => { listeners.add(l); return () => listeners.delete(l); },
  } as unknown as EngineClient;
  const store = createStudioStore();
  connectEngine(engine, store);
  return { store, emit: (e: EngineEvent) => listeners.forEach((l) => l(e)) };
}

const report: BackendReport = { backend: 'webgpu', reason: 'Using webgpu because it started.', adapter: 'nvidia ampere', attempts: [{ backend: 'webgpu' }] };
const lost = (over: Partial<EngineEventOf<'engine/device-lost'>>): EngineEvent => ({
  type: 'engine/device-lost', runId: 'run-3', reason: 'unknown', message: 'GPU hung.', report, trainingStopped: true, hadModel: true, keptStep: 41, ...over,
});

describe('connectEngine: a lost GPU device', () => {
  it('mid-training: ends the run, keeps the model from the kept step, says so once', () => {
    const { store, emit } = connected();
    emit({ type: 'train/started', runId: 'run-3', totalSteps: 100, splitDescription: '', fromStep: 0, parameterCount: 10 });
    emit(lost({}));
    const s = store.getState();
    expect(s.training.status).toBe('done');
    expect(s.backend).toEqual(report);
    expect(s.model).toMatchObject({ available: true, source: 'trained' });
    expect(s.model.description).toContain('41 steps');
    expect(s.errors).toEqual([{
      code: 'device-lost', phase: 'GPU',
      message: 'The browser reported the GPU device lost (unknown: GPU hung). The engine restarted on webgpu (nvidia ampere). ' +
        'Training stopped; the weights from step 41 are kept, and Start training continues from them. Your images and labels are untouched.',
    }]);
  });

  it('mid-training before any weights were kept: the model is gone, and the message says to train again', () => {
    const { store, emit } = connected();
    store.setState({ model: { available: true, source: 'trained', description: 'old' } });
    emit(lost({ keptStep: null }));
    expect(store.getState().model.available).toBe(false);
    expect(store.getState().errors[0]?.message).toContain('Training stopped before any weights could be kept: start training again.');
  });

  it('at rest: the model stays as it was, with its kept step named', () => {
    const { store, emit } = connected();
    const model = { available: true, source: 'imported' as const, description: 'imported model' };
    store.setState({ model });
    emit(lost({ trainingStopped: false, keptStep: 7, runId: 'engine' }));
    expect(store.getState().model).toEqual(model);
    expect(store.getState().training.status).toBe('idle');
    expect(store.getState().errors[0]?.message).toContain('The model is kept (its weights from step 7).');
  });

  it('with no model at all: says only what happened and that the data is safe', () => {
    const { store, emit } = connected();
    emit(lost({ trainingStopped: false, hadModel: false, keptStep: null, message: '' }));
    expect(store.getState().errors[0]?.message).toBe('The browser reported the GPU device lost (unknown). The engine restarted on webgpu (nvidia ampere). Your images and labels are untouched.');
  });
});
