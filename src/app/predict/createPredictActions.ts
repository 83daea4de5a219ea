import type { StudioStore } from '../../store/createStudioStore';
import type { EngineClient } from '../engineClient';
import type { PredictionRegistry } from './predictionRegistry';

export interface PredictActions {
  predict(scope: 'slice' | 'stack'): void;
  setThreshold(threshold: number): void;
  setTestTimeAugmentation(on: boolean): void;
}

// STUB — replaced by the real implementation.
export function createPredictActions(_store: StudioStore, _engine: EngineClient, _predictions: PredictionRegistry): PredictActions {
  const todo = () => { throw new Error('predict actions: not implemented yet'); };
  return { predict: todo, setThreshold: todo, setTestTimeAugmentation: todo };
}
