import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { StudioState, StudioStore } from '../store/createStudioStore';
import type { ClassActions } from './classes/createClassActions';
import type { EngineActions } from './connectEngine';
import type { DataActions } from './data/createDataActions';
import type { ImportActions } from './data/createImportActions';
import type { SliceRegistry } from './data/sliceRegistry';
import type { ModelActions } from './model/createModelActions';
import type { PaintActions } from './paint/createPaintActions';
import type { ProjectActions } from './persistence/connectPersistence';
import type { PredictActions } from './predict/createPredictActions';
import type { ProjectFileActions } from './project/createProjectFileActions';
import type { PredictionRegistry } from './predict/predictionRegistry';
import type { PreviewActions } from './preview/createPreviewActions';
import type { TrainingActions } from './training/createTrainingActions';

export type StudioActions = EngineActions & DataActions & ImportActions & PaintActions & ClassActions & PreviewActions & TrainingActions
  & PredictActions & ModelActions & ProjectActions & ProjectFileActions;

/** What components reach through context: the store, the actions, and the heavy-data registries. */
export interface Studio {
  readonly store: StudioStore;
  readonly actions: StudioActions;
  readonly slices: SliceRegistry;
  readonly predictions: PredictionRegistry;
}

export const StudioContext = createContext<Studio | null>(null);

export function useStudio(): Studio {
  const studio = useContext(StudioContext);
  if (!studio) throw new Error('useStudio must be used inside <StudioContext.Provider>.');
  return studio;
}

export function useStudioState<T>(selector: (state: StudioState) => T): T {
  return useStore(useStudio().store, selector);
}

export function useStudioActions(): StudioActions {
  return useStudio().actions;
}

export function useSliceRegistry(): SliceRegistry {
  return useStudio().slices;
}

export function usePredictionRegistry(): PredictionRegistry {
  return useStudio().predictions;
}
