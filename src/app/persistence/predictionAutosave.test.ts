import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ModelMetadata } from '../../core/model/modelMetadata';
import type { EngineEvent } from '../../engine/protocol';
import { showSlices } from '../data/createDataActions';
import { staleSliceIds } from '../predict/stalePredictions';
import { sampleModel, sampleSlices } from './persistenceFixtures';
import type { TestStudio } from './persistenceTestStudio';
import { freshName, load, startStudio, waitSaved } from './persistenceTestStudio';
import { PredictionStore } from './predictionStore';
import { ProjectDb } from './projectDb';
import { quantiseProbabilities } from '../../core/predict/quantiseProbabilities';

/** The engine's answer for a slice of sampleSlices ('a' is 4 x 3, 'c' 2 x 2): foreground rising along the row. */
function sliceDone(sliceId = 'a', width = 4, height = 3): EngineEvent {
  const probabilities = new Float32Array(width * height * 2);
  for (let p = 0; p < width * height; p++) {
    probabilities[p * 2 + 1] = (p % width) / (width - 1);
    probabilities[p * 2] = 1 - (p % width) / (width - 1);
  }
  const instances = Int32Array.from({ length: width * height }, (_, p) => (p % width >= width / 2 ? 1 : 0));
  return { type: 'predict/slice-done', runId: 'run-p', sliceId, width, height, numClasses: 2, quantised: quantiseProbabilities(probabilities, 2, 0, width * height), instances, instanceCount: 1, tilePx: 92, elapsedMs: 5, memory: { kind: 'wasm', bytes: 0 } as never };
}

/** What connectEngine does with a trained or imported model: a new revision. */
function newModelRevision(studio: TestStudio): void {
  studio.store.setState((s) => ({ model: { ...s.model, available: true, source: 'trained', revision: s.model.revision + 1 } }));
}

/** The engine has the restored model (connectEngine bumps the revision before the persistence hears it). */
function engineRestoresModel(studio: TestStudio): void {
  studio.store.setState((s) => ({ model: { ...s.model, available: true, source: 'imported', revision: s.model.revision + 1 } }));
  studio.engine.emit({ type: 'model/imported', runId: 'run-1', metadata: { classNames: ['background', 'foreground'] } as unknown as ModelMetadata });
}

const stale = (studio: TestStudio) => staleSliceIds(studio.store.getState().prediction.modelRevisionOf, studio.store.getState().model.revision);

afterEach(() => vi.restoreAllMocks());

describe('predictions in the saved project', () => {
  it('come back after a reload: overlay data, instances, the metrics row, and current while the model is the saved one', async () => {
    const name = freshName();
    const first = await startStudio(name);
    showSlices(first.store, first.registry, sampleSlices(), 'a');
    newModelRevision(first);
    first.engine.emit({ type: 'model/exported', runId: 'r', files: sampleModel() });
    first.engine.emit(sliceDone());
    await waitSaved(first.store);
    const stored = await load(name);
    expect(stored?.predictions.map((p) => p.sliceId)).toEqual(['a']);
    expect(stored?.predictions[0]?.modelKey).toBe(stored?.model?.modelKey);

    const second = await startStudio(name);
    const restored = second.predictions.get('a');
    expect(restored?.done).toBe(true);
    expect([...(restored?.quantised ?? [])]).toEqual([...(sliceDone() as { quantised: Uint16Array }).quantised]);
    expect([...(restored?.instances ?? [])]).toEqual([0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1]);
    expect(second.store.getState().prediction).toMatchObject({ predictedSliceIds: ['a'], instanceCounts: { a: 1 }, status: 'done', slicesDone: 1, slicesTotal: 1 });
    await vi.waitFor(() => expect(second.store.getState().metrics.rows.map((r) => r.sliceId)).toEqual(['a']));
    engineRestoresModel(second);
    expect(stale(second)).toEqual([]);
    expect(second.store.getState().prediction.modelRevisionOf).toEqual({ a: 1 });
  });

  it('a prediction from an earlier model than the saved one comes back marked as such', async () => {
    const name = freshName();
    const first = await startStudio(name);
    showSlices(first.store, first.registry, sampleSlices(), 'a');
    newModelRevision(first);
    first.engine.emit(sliceDone());
    newModelRevision(first); // trained again: the prediction is from an earlier model
    first.engine.emit({ type: 'model/exported', runId: 'r', files: sampleModel() });
    await waitSaved(first.store);
    expect(stale(first)).toEqual(['a']);

    const second = await startStudio(name);
    expect(stale(second)).toEqual(['a']); // before the engine has the model too
    engineRestoresModel(second);
    expect(stale(second)).toEqual(['a']);
  });

  it('a prediction made after a reload with the restored model stays current through the next reload', async () => {
    const name = freshName();
    const first = await startStudio(name);
    showSlices(first.store, first.registry, sampleSlices(), 'a');
    newModelRevision(first);
    first.engine.emit({ type: 'model/exported', runId: 'r', files: sampleModel() });
    await waitSaved(first.store);

    const second = await startStudio(name);
    engineRestoresModel(second);
    second.engine.emit(sliceDone('c', 2, 2));
    await waitSaved(second.store);

    const third = await startStudio(name);
    engineRestoresModel(third);
    expect(third.store.getState().prediction.predictedSliceIds).toEqual(['c']);
    expect(stale(third)).toEqual([]);
  });

  it('a stroke made while a prediction is being saved is written in its own task, not after the prediction', async () => {
    const name = freshName();
    const studio = await startStudio(name);
    showSlices(studio.store, studio.registry, sampleSlices(), 'a');
    await waitSaved(studio.store);
    let releasePrediction: () => void = () => undefined;
    const realSave = PredictionStore.prototype.save;
    vi.spyOn(PredictionStore.prototype, 'save').mockImplementation(async function (this: PredictionStore, ...args) {
      await new Promise<void>((resolve) => { releasePrediction = resolve; });
      return realSave.apply(this, args);
    });
    const putLabelTiles = vi.spyOn(ProjectDb.prototype, 'putLabelTiles');
    studio.engine.emit(sliceDone());
    await vi.waitFor(() => expect(PredictionStore.prototype.save).toHaveBeenCalledTimes(1)); // the prediction's save has started
    studio.registry.labelsChanged('a', [{ x: 0, y: 0, width: 1, height: 1 }]);
    expect(putLabelTiles).toHaveBeenCalledTimes(1); // issued at once, in the stroke's task
    await putLabelTiles.mock.results[0]?.value;
    expect(studio.store.getState().project.persistence).toBe('saving'); // the prediction is not on disk yet, and the status says so
    releasePrediction();
    await waitSaved(studio.store);
    expect((await load(name))?.predictions.map((p) => p.sliceId)).toEqual(['a']);
  });

  it('names a prediction that could not be restored, and restores the rest', async () => {
    const name = freshName();
    const first = await startStudio(name);
    showSlices(first.store, first.registry, sampleSlices(), 'a');
    first.engine.emit(sliceDone('a'));
    first.engine.emit(sliceDone('c', 2, 2));
    await waitSaved(first.store);
    const raw = await openDB(name);
    await raw.delete('predictionInstanceStrips', ['a', 0]);
    raw.close();
    const second = await startStudio(name);
    expect(second.store.getState().prediction.predictedSliceIds).toEqual(['c']);
    expect(second.store.getState().errors.map((e) => e.message)).toEqual([
      'The prediction of \u2068cells-01.tif\u2069 could not be restored (its saved copy is incomplete). Predict that slice again.',
    ]);
  });
});
