import type { StudioStore } from '../../store/createStudioStore';
import type { TrainingSlice } from '../../store/slices/trainingSlice';
import type { EngineClient } from '../engineClient';

export interface TrainingActions {
  setTrainingChoices(patch: Partial<TrainingSlice['trainingChoices']>): void;
  startTraining(): void;
  pauseTraining(): void;
  resumeTraining(): void;
  stopTraining(): void;
}

// STUB (helper: training panel) — replaced by the real implementation.
export function createTrainingActions(_store: StudioStore, _engine: EngineClient): TrainingActions {
  const todo = () => { throw new Error('training actions: not implemented yet'); };
  return { setTrainingChoices: todo, startTraining: todo, pauseTraining: todo, resumeTraining: todo, stopTraining: todo };
}
