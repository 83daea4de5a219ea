import type { StudioStore } from '../../store/createStudioStore';
import type { SliceRegistry } from '../data/sliceRegistry';
import type { EngineClient } from '../engineClient';
import type { PredictionRegistry } from '../predict/predictionRegistry';

export interface ModelActions {
  /** Downloads model.json + weights (+ metadata) as separate files, or as one zip. */
  exportModel(format: 'files' | 'zip'): Promise<void>;
  /** Loads a model.json with its weights file(s), or a zip of them, into the engine. */
  importModel(files: readonly File[]): Promise<void>;
  /** Downloads the predictions: masks and foreground probabilities as TIFF stacks, or one PNG per slice. */
  exportPredictions(format: 'tiff' | 'png'): Promise<void>;
}

// STUB (helper: export/import) — replaced by the real implementation.
export function createModelActions(_store: StudioStore, _engine: EngineClient, _slices: SliceRegistry, _predictions: PredictionRegistry): ModelActions {
  const todo = async () => { throw new Error('model actions: not implemented yet'); };
  return { exportModel: todo, importModel: todo, exportPredictions: todo };
}
