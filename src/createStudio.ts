import { createClassActions } from './app/classes/createClassActions';
import { connectEngine } from './app/connectEngine';
import { createDataActions } from './app/data/createDataActions';
import { createImportActions } from './app/data/createImportActions';
import type { ImportRunner } from './app/data/importRunner';
import { SliceRegistry } from './app/data/sliceRegistry';
import { syncEngineWithRegistry } from './app/data/syncEngine';
import type { EngineClient } from './app/engineClient';
import { createModelActions } from './app/model/createModelActions';
import { createPaintActions } from './app/paint/createPaintActions';
import { connectPersistence } from './app/persistence/connectPersistence';
import { createPredictActions } from './app/predict/createPredictActions';
import { PredictionRegistry } from './app/predict/predictionRegistry';
import { createProjectFileActions } from './app/project/createProjectFileActions';
import type { SweepScorer } from './app/predict/scoring/sweepScorer';
import { createPreviewActions } from './app/preview/createPreviewActions';
import type { Studio } from './app/StudioContext';
import { createTrainingActions } from './app/training/createTrainingActions';
import type { BackendName } from './engine/protocol';
import { createStudioStore } from './store/createStudioStore';

/** Builds the whole studio around one engine client: store, registries, and every action, wired once at start-up. */
/** The workers and settings the studio is built around (the page passes worker-backed ones). */
export interface StudioParts {
  readonly engine: EngineClient;
  readonly scorer: SweepScorer;
  readonly runImport: ImportRunner;
  /** `?backend=` from the URL: the backend order to try. */
  readonly backends?: readonly BackendName[] | undefined;
}

export function createStudio({ engine, scorer, runImport, backends }: StudioParts): Studio & { readonly engine: EngineClient } {
  const store = createStudioStore();
  const slices = new SliceRegistry();
  const predictions = new PredictionRegistry();
  syncEngineWithRegistry(slices, engine);
  // Order matters: the persistence hears engine events after connectEngine and the prediction actions have filed them.
  const wired = {
    ...connectEngine(engine, store, backends),
    ...createDataActions(store, slices),
    ...createImportActions(store, slices, undefined, runImport),
    ...createPaintActions(store, slices, predictions),
    ...createClassActions(store),
    ...createPreviewActions(store),
    ...createTrainingActions(store, engine),
    ...createPredictActions(store, engine, slices, predictions, scorer),
    ...createModelActions(store, engine, slices, predictions),
    ...connectPersistence(store, slices, predictions, engine),
  };
  const actions = { ...wired, ...createProjectFileActions(store, engine, slices, predictions, wired) };
  return { store, slices, predictions, actions, engine };
}
