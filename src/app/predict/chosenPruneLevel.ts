import type { StudioState } from '../../store/createStudioStore';

/**
 * The UNet++ pruning level prediction and export use: the Predict panel's choice when the current
 * model offers it, else null (every head; a level chosen for an earlier model no longer applies).
 */
export function chosenPruneLevel(state: Pick<StudioState, 'prediction' | 'model'>): number | null {
  const level = state.prediction.pruneLevel;
  return level !== null && level <= (state.model.pruneLevels ?? 0) ? level : null;
}
