import { createStore } from 'zustand/vanilla';
import type { DataSlice } from './slices/dataSlice';
import { initialData } from './slices/dataSlice';
import type { EngineSlice, ErrorSlice, SelfTestSlice } from './slices/engineSlice';
import { initialSelfTest } from './slices/engineSlice';
import type { PaintSlice } from './slices/paintSlice';
import { initialPaint } from './slices/paintSlice';
import type { PredictionSlice } from './slices/predictionSlice';
import { initialPrediction } from './slices/predictionSlice';
import type { PreviewSlice } from './slices/previewSlice';
import { initialPreview } from './slices/previewSlice';
import type { ProjectSlice } from './slices/projectSlice';
import { initialModel, initialProject } from './slices/projectSlice';
import type { TrainingSlice } from './slices/trainingSlice';
import { initialTraining, initialTrainingChoices } from './slices/trainingSlice';
import type { ViewSlice } from './slices/viewSlice';
import { initialView } from './slices/viewSlice';

/**
 * The studio's one store: plain data the UI renders, one slice file per concern (src/store/slices).
 * Models, pixels and tensors never live here (they stay in the worker and in registries).
 * A factory, so every test gets a fresh store.
 */
export type StudioState = EngineSlice & SelfTestSlice & ErrorSlice & DataSlice & ViewSlice & PaintSlice & PreviewSlice
  & TrainingSlice & PredictionSlice & ProjectSlice;

export function initialStudioState(): StudioState {
  return {
    engineStatus: 'starting',
    backend: null,
    selfTest: initialSelfTest,
    errors: [],
    data: initialData,
    view: initialView,
    paint: initialPaint,
    preview: initialPreview,
    training: initialTraining,
    trainingChoices: initialTrainingChoices,
    prediction: initialPrediction,
    metrics: { rows: [], overall: null, stack: null },
    model: initialModel,
    project: initialProject,
  };
}

export function createStudioStore() {
  return createStore<StudioState>()(() => initialStudioState());
}

export type StudioStore = ReturnType<typeof createStudioStore>;
export { initialModel, initialSelfTest, initialTraining };
