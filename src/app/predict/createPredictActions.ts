import type { StudioStore } from '../../store/createStudioStore';
import type { SliceMetrics } from '../../store/slices/predictionSlice';
import type { SliceRegistry } from '../data/sliceRegistry';
import type { EngineClient } from '../engineClient';
import type { PredictionRegistry } from './predictionRegistry';
import { meanMetrics, scoreSlice } from './scoreSlice';

export interface PredictActions {
  predict(scope: 'slice' | 'stack'): void;
  setThreshold(threshold: number): void;
  setTestTimeAugmentation(on: boolean): void;
}

/**
 * Prediction: asks the engine for one slice or the whole stack and files the streamed tiles into
 * the PredictionRegistry (the overlay fills in tile by tile); scores finished slices that have labels.
 */
export function createPredictActions(store: StudioStore, engine: EngineClient, slices: SliceRegistry, predictions: PredictionRegistry): PredictActions {
  let rescoreTimer: ReturnType<typeof setTimeout> | undefined;
  const rescore = () => {
    const threshold = store.getState().prediction.threshold;
    const rows = slices.all().map((r) => scoreSlice(r, predictions, threshold)).filter((r): r is SliceMetrics => r !== null);
    store.setState({ metrics: { rows, overall: meanMetrics(rows) } });
  };

  engine.subscribe((event) => {
    if (event.type === 'predict/tile') {
      const record = slices.get(event.sliceId);
      if (!record) return;
      predictions.writeTile(event.sliceId, record.width, record.height, event.numClasses, event.tile, event.probabilities);
      store.setState((s) => ({ prediction: { ...s.prediction, revision: s.prediction.revision + 1 } }));
    } else if (event.type === 'predict/slice-done') {
      predictions.finish(event.sliceId, event.width, event.height, event.numClasses, event.probabilities, event.instances, event.instanceCount);
      store.setState((s) => ({
        prediction: {
          ...s.prediction,
          revision: s.prediction.revision + 1,
          predictedSliceIds: s.prediction.predictedSliceIds.includes(event.sliceId) ? s.prediction.predictedSliceIds : [...s.prediction.predictedSliceIds, event.sliceId],
          instanceCounts: { ...s.prediction.instanceCounts, [event.sliceId]: event.instanceCount },
          memory: event.memory,
        },
      }));
      rescore();
    }
  });
  // New data: old predictions no longer belong to anything on screen.
  slices.subscribe((change) => {
    if (change.kind !== 'replaced') return;
    predictions.clear();
    store.setState((s) => ({ prediction: { ...s.prediction, predictedSliceIds: [], instanceCounts: {}, revision: s.prediction.revision + 1 }, metrics: { rows: [], overall: null } }));
  });
  // Painted labels change the ground truth: keep the scores honest.
  slices.subscribe((change) => { if (change.kind === 'labels' && predictions.get(change.id)?.done) rescore(); });

  return {
    predict(scope) {
      const { data } = store.getState();
      const sliceIds = scope === 'slice' ? (data.currentSliceId ? [data.currentSliceId] : []) : data.slices.map((s) => s.id);
      if (sliceIds.length === 0) return;
      store.setState((s) => ({ prediction: { ...s.prediction, status: 'running', tilesDone: 0, tilesTotal: 0 } }));
      engine.send({ type: 'predict/start', sliceIds, testTimeAugmentation: store.getState().prediction.testTimeAugmentation });
    },
    setThreshold(threshold) {
      store.setState((s) => ({ prediction: { ...s.prediction, threshold: Math.max(0, Math.min(1, threshold)), revision: s.prediction.revision + 1 } }));
      // A slider fires per pixel of travel; score once it rests (the Rand sweep costs ~0.1 s per slice).
      clearTimeout(rescoreTimer);
      rescoreTimer = setTimeout(rescore, 250);
    },
    setTestTimeAugmentation: (on) => store.setState((s) => ({ prediction: { ...s.prediction, testTimeAugmentation: on } })),
  };
}
