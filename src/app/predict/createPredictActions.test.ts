import { describe, expect, it, vi } from 'vitest';
import type { EngineEvent } from '../../engine/protocol';
import { createStudioStore } from '../../store/createStudioStore';
import { showSlices } from '../data/createDataActions';
import { SliceRegistry } from '../data/sliceRegistry';
import type { EngineClient, EngineRequestBody } from '../engineClient';
import { createPredictActions } from './createPredictActions';
import { PredictionRegistry, probabilityAt } from './predictionRegistry';
import type { SweepScores } from './scoring/sweepScores';
import type { SweepScorer } from './scoring/sweepScorer';
import { quantiseProbabilities } from '../../core/predict/quantiseProbabilities';

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
  it('asks for a UNet++ pruning level only when the model offers it', () => {
    const store = createStudioStore();
    const slices = new SliceRegistry();
    const { engine, sent } = fakeEngine();
    const actions = createPredictActions(store, engine, slices, new PredictionRegistry());
    showSlices(store, slices, [{ id: 'a', name: 'a', width: 8, height: 4, channels: 1, dtype: 'uint8', pixels: new Uint8Array(32), classes: new Int32Array(32) }]);
    actions.setPruneLevel(2);
    actions.predict('slice');
    store.setState((s) => ({ model: { ...s.model, available: true, pruneLevels: 3 } }));
    actions.predict('slice');
    actions.setPruneLevel(null);
    actions.predict('slice');
    expect(sent).toEqual([
      { type: 'predict/start', sliceIds: ['a'], testTimeAugmentation: false }, // a model without levels: every head
      { type: 'predict/start', sliceIds: ['a'], testTimeAugmentation: false, pruneLevel: 2 },
      { type: 'predict/start', sliceIds: ['a'], testTimeAugmentation: false },
    ]);
  });

  it('files streamed tiles into the registry, then scores the finished slice against its labels', async () => {
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
    expect(partial.covered!.reduce((n, c) => n + c, 0)).toBe(16);
    expect(probabilityAt(partial, 0, 1)).toBeCloseTo(0.9);

    // Final map: the prediction also claims column 4 as foreground (one column too many).
    const final = new Float32Array(64);
    for (let i = 0; i < 32; i++) {
      const p = i % 8 <= 4 ? 0.9 : 0.1;
      final[i * 2] = 1 - p;
      final[i * 2 + 1] = p;
    }
    emit({ type: 'predict/slice-done', runId: 'run-1', sliceId: 'a', width: 8, height: 4, numClasses: 2, quantised: quantiseProbabilities(final, 2, 0, 32), instances: new Int32Array(32), instanceCount: 1, tilePx: 8, elapsedMs: 120, memory: { bytes: 3 * 2 ** 20, what: 'tensors held after the step, not the peak' } });
    const { metrics, prediction } = store.getState();
    expect(prediction.predictedSliceIds).toEqual(['a']);
    expect(prediction).toMatchObject({ slicesDone: 1, slicesTotal: 1, tilesDone: 0, tilesTotal: 0 }); // the progress names slices, not one slice's tiles
    expect(prediction.memory).toEqual({ bytes: 3 * 2 ** 20, what: 'tensors held after the step, not the peak' });
    expect(prediction.sliceTimes).toEqual({ all: { ms: 120, width: 8, height: 4, modelRevision: store.getState().model.revision } }); // every head: no level chosen
    // Independent: |P ∩ T| = 16, |P ∪ T| = 20.
    expect(metrics.rows[0]!.iou).toBeCloseTo(16 / 20, 9);
    expect(metrics.rows[0]!.dice).toBeCloseTo((2 * 16) / (16 + 20), 9);
    expect(metrics.overall!.iou).toBeCloseTo(0.8, 9);
    // The sweep scores come a moment later (a worker in the page, a microtask here).
    expect(metrics.rows[0]!.scoring).toBe(true);
    expect(metrics.rows[0]!.adaptedRandError).toBeNaN();
    expect(metrics.stack).toBeNull();
    await new Promise((r) => setTimeout(r, 0));
    const scored = store.getState().metrics.rows[0]!;
    expect(scored.scoring).toBe(false);
    // Independent: thresholds 0.1-0.8 give 5 foreground columns, F = 2*16 / (2*16 + 4); both sides one component: Rand error 0.
    expect(scored.pixelError).toBeCloseTo(1 - 32 / 36, 9);
    expect(scored.adaptedRandError).toBeCloseTo(0, 9);
    // Fiji's V_Rand: the true cell (columns 0-3) lies inside the one predicted cell: no split, no merge.
    expect(scored.vRand).toBeCloseTo(1, 12);
    expect(store.getState().metrics.overall!.pixelError).toBeCloseTo(1 - 32 / 36, 9);
    // The stack line: one slice, so its V_Rand is the slice's; the first threshold reaching it is named
    // (0: every pixel is p >= 0.1, so one predicted cell holds the true one).
    const { stack } = store.getState().metrics;
    expect(stack).toMatchObject({ slices: 1, vRandThreshold: 0, foregroundRestrictedRandError: 0, foregroundRestrictedRandThreshold: 0 });
    expect(stack!.vRand).toBeCloseTo(1, 12);
  });

  it('shows a slice without objects apart: outside the mean and the stack, with how much of it was called foreground', async () => {
    const store = createStudioStore();
    const slices = new SliceRegistry();
    const predictions = new PredictionRegistry();
    const { engine, emit } = fakeEngine();
    const actions = createPredictActions(store, engine, slices, predictions);
    // 'cells': truth = left half, predicted exactly. 'empty': truth all background, 8 of 32 pixels predicted at p 0.7.
    const cells = Int32Array.from({ length: 32 }, (_, i) => (i % 8 < 4 ? 1 : 0));
    showSlices(store, slices, [
      { id: 'cells', name: 'cells', width: 8, height: 4, channels: 1, dtype: 'uint8', pixels: new Uint8Array(32), classes: cells },
      { id: 'empty', name: 'empty', width: 8, height: 4, channels: 1, dtype: 'uint8', pixels: new Uint8Array(32), classes: new Int32Array(32) },
    ]);
    actions.predict('stack');
    const done = (sliceId: string, foreground: (i: number) => number) => {
      const probabilities = new Float32Array(64);
      for (let i = 0; i < 32; i++) [probabilities[i * 2], probabilities[i * 2 + 1]] = [1 - foreground(i), foreground(i)];
      emit({ type: 'predict/slice-done', runId: 'run-1', sliceId, width: 8, height: 4, numClasses: 2, quantised: quantiseProbabilities(probabilities, 2, 0, 32), instances: new Int32Array(32), instanceCount: 1, tilePx: 8, elapsedMs: 1, memory: { bytes: 0, what: 'tensors held after the step, not the peak' } });
    };
    done('cells', (i) => (i % 8 < 4 ? 0.9 : 0.1));
    done('empty', (i) => (i < 8 ? 0.7 : 0.05));
    await new Promise((r) => setTimeout(r, 0));
    const { rows, overall, stack } = store.getState().metrics;
    const empty = rows.find((r) => r.sliceId === 'empty')!;
    expect(empty).toMatchObject({ hasObjects: false, foregroundFraction: 8 / 32, iou: 0, dice: 0, pixelError: 0 }); // 0.7 <= 0.7: nothing at 0.7 and above
    expect(empty.adaptedRandError).toBeNaN();
    expect(empty.sweep.map((p) => p.pixelError)).toEqual([1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0]);
    expect(overall).toMatchObject({ slicesWithObjects: 1, emptySlices: 1, iou: 1, dice: 1, pixelError: 0 });
    expect(stack!.slices).toBe(1);
    // Raise the threshold above the false alarm: nothing predicted on an empty field is perfect agreement.
    actions.setThreshold(0.75);
    await new Promise((r) => setTimeout(r, 300)); // the slider's rescore waits for it to rest
    expect(store.getState().metrics.rows.find((r) => r.sliceId === 'empty')).toMatchObject({ iou: 1, dice: 1, foregroundFraction: 0 });
  });

  it('forgets predictions when new data replaces the slices', () => {
    const store = createStudioStore();
    const slices = new SliceRegistry();
    const predictions = new PredictionRegistry();
    const { engine } = fakeEngine();
    createPredictActions(store, engine, slices, predictions);
    predictions.finish('old', 1, 1, 2, new Uint16Array(1), new Int32Array(1), 0);
    showSlices(store, slices, []);
    expect(predictions.ids()).toEqual([]);
  });

  it('scores only the newest labels when painting overtakes a sweep, and says when scoring fails', async () => {
    vi.useFakeTimers();
    try {
      const store = createStudioStore();
      const slices = new SliceRegistry();
      const predictions = new PredictionRegistry();
      const { engine, emit } = fakeEngine();
      const asked: { key: string; classes: Int32Array; resolve: (s: SweepScores) => void; reject: (e: Error) => void }[] = [];
      const scorer: SweepScorer = { score: (key, input) => new Promise((resolve, reject) => asked.push({ key, classes: Int32Array.from(input.classes), resolve, reject })) };
      const actions = createPredictActions(store, engine, slices, predictions, scorer);
      const classes = Int32Array.from({ length: 16 }, (_, i) => (i % 4 < 2 ? 1 : 0));
      showSlices(store, slices, [{ id: 'a', name: 'a', width: 4, height: 4, channels: 1, dtype: 'uint8', pixels: new Uint8Array(16), classes }]);
      const probabilities = new Float32Array(32).map((_, i) => (i % 2 === 1 ? 0.7 : 0.3));
      emit({ type: 'predict/slice-done', runId: 'r', sliceId: 'a', width: 4, height: 4, numClasses: 2, quantised: quantiseProbabilities(probabilities, 2, 0, 16), instances: new Int32Array(16), instanceCount: 1, tilePx: 4, elapsedMs: 40, memory: { bytes: 1, what: 'x' } });
      expect(asked).toHaveLength(1);

      // Two strokes while the first sweep runs: nothing new is asked until it answers.
      slices.get('a')!.classes[0] = 0;
      slices.labelsChanged('a');
      slices.get('a')!.classes[1] = 0;
      slices.labelsChanged('a');
      await vi.advanceTimersByTimeAsync(300);
      expect(asked).toHaveLength(1);
      asked[0]!.resolve({ pixelError: 0.5, adaptedRandError: 0.5, vRand: 0.5, vInfo: 0.5, isbi: null, perThreshold: [] });
      await vi.advanceTimersByTimeAsync(0);
      // The stale answer is not shown; the newest labels are asked for, once.
      expect(store.getState().metrics.rows[0]!.scoring).toBe(true);
      expect(asked).toHaveLength(2);
      expect(asked[1]!.classes[0]).toBe(0);
      expect(asked[1]!.classes[1]).toBe(0);
      asked[1]!.reject(new Error('worker crashed'));
      await vi.advanceTimersByTimeAsync(0);
      expect(store.getState().errors.at(-1)).toMatchObject({ phase: 'scoring', message: 'Scoring a failed: worker crashed' });
      // The row stops waiting ("–", not "…"), and a later rescore (the threshold slider) neither asks again nor repeats the error.
      const failedRow = store.getState().metrics.rows[0]!;
      expect(failedRow.scoring).toBe(false);
      expect(failedRow.adaptedRandError).toBeNaN();
      expect(store.getState().metrics.stack).toBeNull(); // no slice could be scored
      actions.setThreshold(0.6);
      await vi.advanceTimersByTimeAsync(300);
      expect(asked).toHaveLength(2);
      expect(store.getState().errors.filter((e) => e.phase === 'scoring')).toHaveLength(1);
      // New labels are scored again.
      slices.labelsChanged('a');
      await vi.advanceTimersByTimeAsync(300);
      expect(asked).toHaveLength(3);
    } finally {
      vi.useRealTimers();
    }
  });
});
