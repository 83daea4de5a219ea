import type { StudioStore } from '../../store/createStudioStore';
import type { SliceMetrics } from '../../store/slices/predictionSlice';
import type { SliceRegistry } from '../data/sliceRegistry';
import type { EngineClient } from '../engineClient';
import { chosenPruneLevel } from './chosenPruneLevel';
import type { PredictionRegistry } from './predictionRegistry';
import { meanMetrics, scoreSlice, stackMetrics, sweepInputOf } from './scoreSlice';
import type { SweepInput, SweepScores } from './scoring/sweepScores';
import { NO_SWEEP_SCORES } from './scoring/sweepScores';
import type { SweepScorer } from './scoring/sweepScorer';
import { inlineSweepScorer } from './scoring/sweepScorer';

export interface PredictActions {
  predict(scope: 'slice' | 'stack'): void;
  /** Ends the running prediction after its current tile; what was predicted stays. */
  stopPrediction(): void;
  setThreshold(threshold: number): void;
  setTestTimeAugmentation(on: boolean): void;
  /** UNet++: predict pruned to a level, or with every head averaged (null). */
  setPruneLevel(level: number | null): void;
}

/**
 * Prediction: asks the engine for one slice or the whole stack and files the streamed tiles into
 * the PredictionRegistry (the overlay fills in tile by tile); scores finished slices that have labels.
 */
export function createPredictActions(store: StudioStore, engine: EngineClient, slices: SliceRegistry, predictions: PredictionRegistry,
  scorer: SweepScorer = inlineSweepScorer): PredictActions {
  let rescoreTimer: ReturnType<typeof setTimeout> | undefined;
  // Threshold-sweep scores per slice version: a new prediction or new labels make a new version.
  // One sweep per slice in flight: while painting, only the newest labels get scored.
  const versions = new Map<string, number>();
  const sweeps = new Map<string, SweepScores>();
  const inFlight = new Set<string>();
  let nextVersion = 1;
  const keyOf = (id: string) => `${id}#${versions.get(id) ?? 0}`;
  const invalidate = (id: string) => {
    sweeps.delete(keyOf(id));
    versions.set(id, nextVersion++);
  };
  const requestSweep = (id: string, key: string, input: SweepInput) => {
    inFlight.add(id);
    scorer.score(key, input).then((scores) => {
      inFlight.delete(id);
      if (keyOf(id) === key) sweeps.set(key, scores);
      rescore(); // shows these scores, or asks again for the newer version
    }, (error: unknown) => {
      inFlight.delete(id);
      if (keyOf(id) !== key) {
        rescore(); // outdated anyway: ask for the newest labels instead
        return;
      }
      // Recorded as a result (no scores), so the row stops waiting and nothing asks again until the prediction or labels change.
      sweeps.set(key, NO_SWEEP_SCORES);
      store.setState((s) => ({ errors: [...s.errors, { code: 'scoring-failed', phase: 'scoring', message: `Scoring ${id} failed: ${error instanceof Error ? error.message : String(error)}` }] }));
      rescore();
    });
  };
  const rescore = () => {
    const threshold = store.getState().prediction.threshold;
    const rowSweeps: (SweepScores | null)[] = [];
    const rows = slices.all().map((record) => {
      const key = keyOf(record.id);
      const sweep = sweeps.get(key) ?? null;
      if (!sweep && !inFlight.has(record.id)) {
        const input = sweepInputOf(record, predictions);
        if (input) requestSweep(record.id, key, input);
      }
      const row = scoreSlice(record, predictions, threshold, sweep);
      if (row) rowSweeps.push(sweep);
      return row;
    }).filter((r): r is SliceMetrics => r !== null);
    store.setState({ metrics: { rows, overall: meanMetrics(rows), stack: stackMetrics(rowSweeps, rows) } });
  };

  engine.subscribe((event) => {
    if (event.type === 'predict/tile') {
      const record = slices.get(event.sliceId);
      if (!record) return;
      predictions.writeTile(event.sliceId, record.width, record.height, event.numClasses, event.tile, event.probabilities);
      store.setState((s) => ({ prediction: { ...s.prediction, revision: s.prediction.revision + 1 } }));
    } else if (event.type === 'predict/slice-done') {
      invalidate(event.sliceId);
      predictions.finish(event.sliceId, event.width, event.height, event.numClasses, event.quantised, event.instances, event.instanceCount);
      store.setState((s) => ({
        prediction: {
          ...s.prediction,
          revision: s.prediction.revision + 1,
          // The next slice's tiles are not known until its first one arrives.
          slicesDone: s.prediction.slicesDone + 1,
          tilesDone: 0,
          tilesTotal: 0,
          predictedSliceIds: s.prediction.predictedSliceIds.includes(event.sliceId) ? s.prediction.predictedSliceIds : [...s.prediction.predictedSliceIds, event.sliceId],
          instanceCounts: { ...s.prediction.instanceCounts, [event.sliceId]: event.instanceCount },
          sliceTimes: { ...s.prediction.sliceTimes, [sliceTimeKey(s.prediction.runPruneLevel)]: { ms: event.elapsedMs, width: event.width, height: event.height, modelRevision: s.model.revision } },
          modelRevisionOf: { ...s.prediction.modelRevisionOf, [event.sliceId]: s.model.revision },
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
    sweeps.clear();
    for (const id of [...versions.keys()]) invalidate(id); // a sweep still in flight must not land on a new slice of the same id
    store.setState((s) => ({ prediction: { ...s.prediction, predictedSliceIds: [], modelRevisionOf: {}, instanceCounts: {}, revision: s.prediction.revision + 1 }, metrics: { rows: [], overall: null, stack: null } }));
  });
  // A prediction restored with the project is scored like a new one.
  predictions.onRestore((id) => {
    invalidate(id);
    clearTimeout(rescoreTimer);
    rescoreTimer = setTimeout(rescore, 0); // once, after every restored slice is in
  });
  // Painted labels change the ground truth: keep the scores honest.
  slices.subscribe((change) => {
    if (change.kind !== 'labels' && change.kind !== 'relabelled') return;
    invalidate(change.id);
    if (!predictions.get(change.id)?.done) return;
    clearTimeout(rescoreTimer);
    rescoreTimer = setTimeout(rescore, 250); // strokes come in bursts
  });

  return {
    predict(scope) {
      const { data } = store.getState();
      const sliceIds = scope === 'slice' ? (data.currentSliceId ? [data.currentSliceId] : []) : data.slices.map((s) => s.id);
      if (sliceIds.length === 0) return;
      const pruneLevel = chosenPruneLevel(store.getState());
      store.setState((s) => ({ prediction: { ...s.prediction, status: 'running', tilesDone: 0, tilesTotal: 0, slicesDone: 0, slicesTotal: sliceIds.length, runPruneLevel: pruneLevel } }));
      engine.send({ type: 'predict/start', sliceIds, testTimeAugmentation: store.getState().prediction.testTimeAugmentation, ...(pruneLevel !== null ? { pruneLevel } : {}) });
    },
    stopPrediction() {
      if (store.getState().prediction.status !== 'running') return;
      engine.send({ type: 'predict/stop' });
    },
    setThreshold(threshold) {
      store.setState((s) => ({ prediction: { ...s.prediction, threshold: Math.max(0, Math.min(1, threshold)), revision: s.prediction.revision + 1 } }));
      // A slider fires per pixel of travel; rescore (IoU and Dice: the sweeps are cached) once it rests.
      clearTimeout(rescoreTimer);
      rescoreTimer = setTimeout(rescore, 250);
    },
    setTestTimeAugmentation: (on) => store.setState((s) => ({ prediction: { ...s.prediction, testTimeAugmentation: on } })),
    setPruneLevel: (level) => store.setState((s) => ({ prediction: { ...s.prediction, pruneLevel: level } })),
  };
}

/** The key of a UNet++ choice in prediction.sliceTimes: 'all' (every head) or the level. */
export function sliceTimeKey(pruneLevel: number | null): string {
  return pruneLevel === null ? 'all' : String(pruneLevel);
}
