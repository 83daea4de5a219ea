import type { StudioStore } from '../../store/createStudioStore';
import type { PaintSlice } from '../../store/slices/paintSlice';
import type { ViewSlice } from '../../store/slices/viewSlice';
import type { SliceRegistry } from '../data/sliceRegistry';
import type { PredictionRegistry } from '../predict/predictionRegistry';

export interface PaintActions {
  setPaint(patch: Partial<Pick<PaintSlice['paint'], 'tool' | 'classValue' | 'brushRadiusPx'>>): void;
  setView(patch: Partial<ViewSlice['view']>): void;
  undo(): void;
  redo(): void;
  /** Copies the current slice's predicted classes into its labels (one undoable step). */
  acceptPrediction(): void;
}

// STUB — replaced by the real implementation.
export function createPaintActions(_store: StudioStore, _slices: SliceRegistry, _predictions: PredictionRegistry): PaintActions {
  const todo = () => { throw new Error('paint actions: not implemented yet'); };
  return { setPaint: todo, setView: todo, undo: todo, redo: todo, acceptPrediction: todo };
}
