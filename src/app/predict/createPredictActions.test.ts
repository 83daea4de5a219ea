import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../engine/protocol';
import { createStudioStore } from '../../store/createStudioStore';
import { showSlices } from '../data/createDataActions';
import { SliceRegistry } from '../data/sliceRegistry';
import type { EngineClient, EngineRequestBody } from '../engineClient';
import { createPredictActions } from './createPredictActions';
import { PredictionRegistry } from './predictionRegistry';

function fakeEngine() {
  const sent: EngineRequestBody[] = [];
  let listener: (e: EngineEvent) => void = () => {};
  const engine = {
    send: (body: EngineRequestBody) => { sent.push(body); return `run-${sent.length}`; },
    subscribe: (l: (e: EngineEvent) => void) => { listener = l; return () => {}; },
  } as unknown as EngineClient;
  return { engine, sent, emit: (e: EngineEvent) => listener(e) };
}

describe('predict actions', () => {
  it('files streamed tiles into the registry, then scores the finished slice against its labels', () => {
    const store = createStudioStore();
    const slices = new SliceRegistry();
    const predictions = new PredictionRegistry();
    const { engine, sent, emit } = fakeEngine();
    const actions = createPredictActions(store, engine, slices, predictions);
    // 8x4 slice: truth foreground = left half.
    const classes = Int32Array.from({ length: 32 }, (_, i) => (i % 8 < 4 ? 1 : 0));
    showSlices(store, slices, [{ id: 'a', name: 'a', width: 8, height: 4, channels: 1, dtype: 'uint8', pixels: new Uint8Array(32), classes }]);

    actions.predict('slice');
    expect(sent).toEqual([{ type: 'predict/start', sliceIds: ['a'], testTimeAugmentation: false }]);
    expect(store.getState().prediction.status).toBe('running');

    // The left tile (4x4) arrives first: foreground everywhere in it.
    const tileProbs = new Float32Array(32).map((_, i) => (i % 2 === 1 ? 0.9 : 0.1));
    emit({ type: 'predict/tile', runId: 'run-1', sliceId: 'a', tile: { inputX: 0, inputY: 0, outX: 0, outY: 0, outWidth: 4, outHeight: 4 }, probabilities: tileProbs, numClasses: 2, index: 0, total: 2 });
    const partial = predictions.get('a')!;
    expect(partial.covered.reduce((n, c) => n + c, 0)).toBe(16);
    expect(partial.probabilities[1]).toBeCloseTo(0.9);

    // Final map: the prediction also claims column 4 as foreground (one column too many).
    const final = new Float32Array(64);
    for (let i = 0; i < 32; i++) {
      const p = i % 8 <= 4 ? 0.9 : 0.1;
      final[i * 2] = 1 - p;
      final[i * 2 + 1] = p;
    }
    emit({ type: 'predict/slice-done', runId: 'run-1', sliceId: 'a', width: 8, height: 4, numClasses: 2, probabilities: final, instances: new Int32Array(32), instanceCount: 1, tilePx: 8, memory: { bytes: 3 * 2 ** 20, what: 'tensors held after the step, not the peak' } });
    const { metrics, prediction } = store.getState();
    expect(prediction.predictedSliceIds).toEqual(['a']);
    expect(prediction.memory).toEqual({ bytes: 3 * 2 ** 20, what: 'tensors held after the step, not the peak' });
    // Independent: |P ∩ T| = 16, |P ∪ T| = 20.
    expect(metrics.rows[0]!.iou).toBeCloseTo(16 / 20, 9);
    expect(metrics.rows[0]!.dice).toBeCloseTo((2 * 16) / (16 + 20), 9);
    expect(metrics.overall!.iou).toBeCloseTo(0.8, 9);
  });

  it('forgets predictions when new data replaces the slices', () => {
    const store = createStudioStore();
    const slices = new SliceRegistry();
    const predictions = new PredictionRegistry();
    const { engine } = fakeEngine();
    createPredictActions(store, engine, slices, predictions);
    predictions.finish('old', 1, 1, 2, new Float32Array(2), new Int32Array(1), 0);
    showSlices(store, slices, []);
    expect(predictions.ids()).toEqual([]);
  });
});
