/**
 * connectEngine's handling of a lost GPU device: the user is told what ended and which weights
 * are kept, the header shows the new backend, the Train panel is free again, and the model is
 * kept, described from the kept step, or marked gone when no weights were kept.
 */
import { describe, expect, it } from 'vitest';
import type { BackendReport, EngineEvent, EngineEventOf } from '../engine/protocol';
import { createStudioStore } from '../store/createStudioStore';
import { connectEngine } from './connectEngine';
import { chartSeries } from './training/chartData';
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
    emit({ type: 'train/started', runId: 'run-3', totalSteps: 100, splitDescription: '', validationSliceIds: [], fromStep: 0, parameterCount: 10 });
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
    store.setState({ model: { available: true, source: 'trained', description: 'old', revision: 1 } });
    emit(lost({ keptStep: null }));
    expect(store.getState().model.available).toBe(false);
    expect(store.getState().errors[0]?.message).toContain('Training stopped before any weights could be kept: start training again.');
  });

  it('at rest: the model stays as it was, with its kept step named', () => {
    const { store, emit } = connected();
    const model = { available: true, source: 'imported' as const, description: 'imported model', revision: 1 };
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

describe('connectEngine: training as the panel shows it', () => {
  const progress = (runId: string, step: number, loss: number, learningRate = 1e-3): EngineEvent => ({
    type: 'train/progress', runId, step, totalSteps: 3, loss, learningRate, tilesPerSecond: 1, etaSeconds: 1, memory: { bytes: 1, what: 'x' },
  });

  it('a continued run keeps the earlier curve, in the model\'s own step numbers, and says how each run ended', () => {
    const { store, emit } = connected();
    emit({ type: 'train/started', runId: 'a', totalSteps: 3, splitDescription: 's', validationSliceIds: ['x'], fromStep: 0, parameterCount: 1 });
    for (const step of [1, 2, 3]) emit(progress('a', step, 1 / step));
    emit({ type: 'train/validation', runId: 'a', step: 3, loss: 0.5, foregroundIoU: 0.7, isBest: true });
    emit({ type: 'train/done', runId: 'a', reason: 'stopped', steps: 3, bestStep: 3 });
    expect(store.getState().training.endReason).toBe('stopped');

    emit({ type: 'train/started', runId: 'b', totalSteps: 3, splitDescription: 's', validationSliceIds: ['x'], fromStep: 3, parameterCount: 1 });
    emit(progress('b', 1, 0.2));
    const training = store.getState().training;
    expect(training.losses).toEqual([{ step: 1, loss: 0.2 }]); // this run, as the engine counts it
    expect(chartSeries(training).losses.map((p) => p.step)).toEqual([1, 2, 3, 4]);
    expect(chartSeries(training).validation).toEqual([{ step: 3, loss: 0.5, foregroundIoU: 0.7 }]);
    emit({ type: 'train/done', runId: 'b', reason: 'completed', steps: 3, bestStep: null });
    expect(store.getState().training.endReason).toBe('completed');

    // Fresh weights: the curve starts over.
    emit({ type: 'train/started', runId: 'c', totalSteps: 3, splitDescription: 's', validationSliceIds: [], fromStep: 0, parameterCount: 1 });
    expect(chartSeries(store.getState().training)).toEqual({ losses: [], validation: [] });
  });

  it('shows the latest step\'s learning rate (a schedule moves it), none before a run\'s first step', () => {
    const { store, emit } = connected();
    emit({ type: 'train/started', runId: 'a', totalSteps: 3, splitDescription: 's', validationSliceIds: [], fromStep: 0, parameterCount: 1 });
    expect(store.getState().training.learningRate).toBeNull();
    emit(progress('a', 1, 1, 1e-3));
    expect(store.getState().training.learningRate).toBe(1e-3);
    emit(progress('a', 2, 1, 5e-4));
    emit({ type: 'train/notice', runId: 'a', message: 'n' }); // any other event hands on the steps held back before it
    expect(store.getState().training.learningRate).toBe(5e-4);
    emit({ type: 'train/started', runId: 'b', totalSteps: 3, splitDescription: 's', validationSliceIds: [], fromStep: 2, parameterCount: 1 });
    expect(store.getState().training.learningRate).toBeNull();
  });

  it('continuing from a kept step after a lost GPU drops the curve past it', () => {
    const { store, emit } = connected();
    emit({ type: 'train/started', runId: 'a', totalSteps: 9, splitDescription: 's', validationSliceIds: [], fromStep: 0, parameterCount: 1 });
    for (const step of [1, 2, 3, 4, 5]) emit(progress('a', step, 1));
    emit(lost({ runId: 'a', keptStep: 3 }));
    expect(store.getState().training).toMatchObject({ status: 'done', endReason: 'device-lost' });
    emit({ type: 'train/started', runId: 'b', totalSteps: 9, splitDescription: 's', validationSliceIds: [], fromStep: 3, parameterCount: 1 });
    expect(store.getState().training.earlier.losses.map((p) => p.step)).toEqual([1, 2, 3]);
  });

  it('on a CPU engine the preset starts as tiny, unless the user already chose', () => {
    const wasm: BackendReport = { backend: 'wasm', reason: 'r', threads: 2, attempts: [{ backend: 'wasm' }] };
    const first = connected();
    first.emit({ type: 'engine/ready', runId: 'init', report: wasm });
    expect(first.store.getState().trainingChoices.preset).toBe('tiny');
    const chosen = connected();
    chosen.store.setState((s) => ({ trainingChoices: { ...s.trainingChoices, preset: 'paper' } }));
    chosen.emit({ type: 'engine/ready', runId: 'init', report: wasm });
    expect(chosen.store.getState().trainingChoices.preset).toBe('paper');
    const gpu = connected();
    gpu.emit({ type: 'engine/ready', runId: 'init', report });
    expect(gpu.store.getState().trainingChoices.preset).toBe('fast');
  });
});

describe('connectEngine: the UNet++ pruning levels a model offers', () => {
  it('a trained UNet++ with deep supervision offers its depth; an imported model its metadata\'s; a pruned or U-Net model none', () => {
    const { store, emit } = connected();
    store.setState((s) => ({ trainingChoices: { ...s.trainingChoices, preset: 'tiny', architecture: 'unetpp' } }));
    emit({ type: 'train/started', runId: 'run-1', totalSteps: 3, splitDescription: '', validationSliceIds: [], fromStep: 0, parameterCount: 10 });
    emit({ type: 'train/done', runId: 'run-1', reason: 'completed', steps: 3, bestStep: null });
    expect(store.getState().model.pruneLevels).toBe(2); // the tiny preset's depth
    expect(store.getState().model.description).toBe('tiny preset UNet++, 3 steps, tile 256 px'); // the tile as chosen

    const metadata = (architecture: object) => ({
      format: 'unet-studio/1' as const, tile: { inputTilePx: 64, outputTilePx: 64, borderPx: 0 }, normalisation: { kind: 'zscore' as const },
      classNames: ['background', 'cell'], training: { steps: 1, preset: 'tiny', finalLoss: null, bestValidationLoss: null, backend: 'cpu', savedAt: '' },
      architecture: { architecture: 'unetpp' as const, depth: 3, baseChannels: 4, padding: 'same' as const, inputChannels: 1, numClasses: 2, dropoutRate: 0, batchNorm: false, tileSizePx: 64, ...architecture },
    });
    emit({ type: 'model/imported', runId: 'run-2', metadata: metadata({ deepSupervision: true }) });
    expect(store.getState().model.pruneLevels).toBe(3);
    emit({ type: 'model/imported', runId: 'run-3', metadata: { ...metadata({ deepSupervision: false, depth: 1 }), pruning: { level: 1, fullDepth: 3 } } });
    expect(store.getState().model.pruneLevels).toBe(0);
    expect(store.getState().model.description).toBe('\u2068tiny\u2069 preset UNet++ pruned to level 1 of 3, 1 steps, tile 64 px');
    emit({ type: 'model/imported', runId: 'run-4', metadata: metadata({ architecture: 'unet' }) });
    expect(store.getState().model.pruneLevels).toBe(0);
  });
});
