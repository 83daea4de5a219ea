import { describe, expect, it, vi } from 'vitest';
import type { EngineEvent } from '../../engine/protocol';
import { createStudioStore } from '../../store/createStudioStore';
import type { SliceSummary } from '../../store/slices/dataSlice';
import type { EngineRequestBody } from '../engineClient';
import { createTrainingActions } from './createTrainingActions';
import { settingsFromChoices } from './trainingPresets';

function fakeEngine() {
  const listeners = new Set<(event: EngineEvent) => void>();
  let runs = 0;
  const send = vi.fn((_body: EngineRequestBody) => `run-${++runs}`);
  const subscribe = (listener: (event: EngineEvent) => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  return { send, subscribe, emit: (event: EngineEvent) => listeners.forEach((l) => l(event)) };
}

const slice = (id: string, labelled: boolean, channels = 1): SliceSummary => ({ id, name: `${id}.tif`, width: 64, height: 64, channels, dtype: 'uint8', labelled });

function setUp(slices: SliceSummary[] = [slice('a', false), slice('b', true)]) {
  const store = createStudioStore();
  store.setState((s) => ({ engineStatus: 'ready', data: { ...s.data, slices, classNames: ['background', 'cell', 'border'] } }));
  const engine = fakeEngine();
  return { store, engine, actions: createTrainingActions(store, engine) };
}

describe('createTrainingActions', () => {
  it('start sends train/start with the settings built from the choices, the class count and the labelled slices\' channels', () => {
    const { store, engine, actions } = setUp([slice('a', false), slice('b', true, 3)]);
    actions.setTrainingChoices({ preset: 'tiny' });
    actions.setTrainingChoices({ steps: 40, freshWeights: true });
    actions.startTraining();
    expect(engine.send).toHaveBeenCalledTimes(1);
    const body = engine.send.mock.calls[0]?.[0];
    const choices = store.getState().trainingChoices;
    expect(body).toEqual({ type: 'train/start', settings: settingsFromChoices(choices, 3, 3), freshWeights: true });
    if (body?.type !== 'train/start') throw new Error('expected train/start');
    expect(body.settings.steps).toBe(40);
    expect(body.settings.unet).toMatchObject({ numClasses: 3, inputChannels: 3, depth: 2, baseChannels: 8, tileSizePx: 64 });
    expect(store.getState().errors).toEqual([]);
  });

  it('picking the fast preset gives 128 px tiles when the engine runs on a CPU (wasm, or a software GPU), 256 px on a GPU', () => {
    const tileOfFastOn = (backend: 'wasm' | 'webgpu', software: boolean) => {
      const { store, actions } = setUp();
      store.setState({ backend: { backend, reason: 'test', software, attempts: [] } });
      actions.setTrainingChoices({ preset: 'fast' });
      return store.getState().trainingChoices.tileSizePx;
    };
    expect(tileOfFastOn('wasm', false)).toBe(128);
    expect(tileOfFastOn('webgpu', true)).toBe(128);
    expect(tileOfFastOn('webgpu', false)).toBe(256);
    const { store, actions } = setUp(); // no engine yet: the preset's own
    actions.setTrainingChoices({ preset: 'fast' });
    expect(store.getState().trainingChoices.tileSizePx).toBe(256);
  });

  it('ignores a second start until the engine answers, then allows the next run after it', () => {
    const { store, engine, actions } = setUp();
    actions.startTraining();
    expect(store.getState().training.starting).toBe(true); // the panel says "Starting" until the engine answers
    actions.startTraining();
    expect(engine.send).toHaveBeenCalledTimes(1);
    engine.emit({ type: 'train/started', runId: 'run-1', totalSteps: 200, splitDescription: 'x', validationSliceIds: [], fromStep: 0, parameterCount: 1 });
    expect(store.getState().training.starting).toBe(false);
    store.setState((s) => ({ training: { ...s.training, status: 'done' } }));
    actions.startTraining();
    expect(engine.send).toHaveBeenCalledTimes(2);
    engine.emit({ type: 'error', runId: 'run-2', error: { code: 'out-of-memory', message: 'oom', phase: 'training' } });
    expect(store.getState().training.starting).toBe(false);
    actions.startTraining();
    expect(engine.send).toHaveBeenCalledTimes(3);
  });

  it('a start refused before sending never says "Starting", however its error is dismissed', () => {
    const { store, actions } = setUp();
    store.setState((s) => ({ trainingChoices: { ...s.trainingChoices, learningRate: 1e6 } }));
    actions.startTraining();
    expect(store.getState().errors.map((e) => e.message)).toEqual(['Training settings are not valid: Learning rate must be a number above 0 and at most 1 (got 1000000).']);
    store.setState({ errors: [] }); // dismissed
    expect(store.getState().training).toMatchObject({ starting: false, status: 'idle' });
  });

  it('refuses without labelled slices: a clear error in store.errors and nothing sent', () => {
    const { store, engine, actions } = setUp([slice('a', false)]);
    actions.startTraining();
    expect(engine.send).not.toHaveBeenCalled();
    expect(store.getState().errors).toEqual([{
      code: 'no-labels',
      message: 'Nothing to train on: no slice has labels yet. Paint some foreground and background strokes, or load images with label files, then start training.',
      phase: 'training',
    }]);
  });

  it('refuses invalid settings with the validation message, naming the field', () => {
    const { store, engine, actions } = setUp();
    store.setState((s) => ({ trainingChoices: { ...s.trainingChoices, preset: 'paper', tileSizePx: 570 } })); // bypasses the snapping
    actions.startTraining();
    store.setState((s) => ({ trainingChoices: { ...s.trainingChoices, tileSizePx: 572, learningRate: -1 } }));
    actions.startTraining();
    expect(engine.send).not.toHaveBeenCalled();
    const errors = store.getState().errors;
    expect(errors.map((e) => [e.code, e.phase])).toEqual([['invalid-tile-size', 'training'], ['invalid-config', 'training']]);
    expect(errors[0]?.message).toMatch(/^Training settings are not valid: A 570 px tile does not fit a valid U-Net of depth 4.*556 or 572 px/);
    expect(errors[1]?.message).toBe('Training settings are not valid: Learning rate must be a number above 0 and at most 1 (got -1).');
  });

  it('refuses while a run is going and when the engine failed', () => {
    const { store, engine, actions } = setUp();
    store.setState((s) => ({ training: { ...s.training, status: 'paused' } }));
    actions.startTraining();
    store.setState((s) => ({ engineStatus: 'failed', training: { ...s.training, status: 'idle' } }));
    actions.startTraining();
    expect(engine.send).not.toHaveBeenCalled();
    expect(store.getState().errors.map((e) => e.code)).toEqual(['training-busy', 'engine-unavailable']);
    expect(store.getState().errors[0]?.message).toMatch(/already running: stop it/);
  });

  it('pause, resume and stop send their messages', () => {
    const { engine, actions } = setUp();
    actions.pauseTraining();
    actions.resumeTraining();
    actions.stopTraining();
    expect(engine.send.mock.calls.map((call) => call[0])).toEqual([{ type: 'train/pause' }, { type: 'train/resume' }, { type: 'train/stop' }]);
  });

  it('setTrainingChoices resets a preset\'s numbers, patches the rest and snaps tile sizes', () => {
    const { store, actions } = setUp();
    actions.setTrainingChoices({ steps: 7, augment: false });
    expect(store.getState().trainingChoices).toMatchObject({ preset: 'fast', steps: 7, augment: false });
    actions.setTrainingChoices({ preset: 'paper' });
    expect(store.getState().trainingChoices).toEqual({ preset: 'paper', steps: 2000, learningRate: 0.01, schedule: 'constant', averageWeights: false, tileSizePx: 572, batchSize: 1, augment: false, freshWeights: false, validationSliceIds: [] });
    actions.setTrainingChoices({ tileSizePx: 497 });
    expect(store.getState().trainingChoices.tileSizePx).toBe(492); // valid neighbours 492 and 508
  });
});
