import { parseHexColour } from '../../core/image/classColours';
import type { StudioState } from '../../store/createStudioStore';
import { initialTraining } from '../../store/createStudioStore';
import { initialTrainingChoices } from '../../store/slices/trainingSlice';
import type { ProjectMeta } from './projectDb';

/** The plain part of the project, as saved. */
export function metaFromState(state: StudioState, savedAt: Date): ProjectMeta {
  return {
    currentSliceId: state.data.currentSliceId,
    classNames: state.data.classNames,
    classColours: state.data.classColours,
    training: {
      losses: state.training.losses, validation: state.training.validation, bestStep: state.training.bestStep,
      totalSteps: state.training.totalSteps, fromStep: state.training.fromStep, earlier: state.training.earlier,
    },
    trainingChoices: state.trainingChoices,
    predictionThreshold: state.prediction.threshold,
    savedAt: savedAt.toISOString(),
  };
}

/** Whether a store change touches anything metaFromState saves. */
export function metaChanged(state: StudioState, previous: StudioState): boolean {
  return state.data.currentSliceId !== previous.data.currentSliceId
    || state.data.classNames !== previous.data.classNames
    || state.data.classColours !== previous.data.classColours
    || state.training.losses !== previous.training.losses
    || state.training.validation !== previous.training.validation
    || state.training.bestStep !== previous.training.bestStep
    || state.training.earlier !== previous.training.earlier
    || state.trainingChoices !== previous.trainingChoices
    || state.prediction.threshold !== previous.prediction.threshold;
}

/**
 * The store after restoring `meta` (slices and currentSliceId go through showSlices). Training
 * comes back as a finished run when it had steps: a reload ends any run, the history stays.
 */
export function restoredMetaState(state: StudioState, meta: ProjectMeta): Pick<StudioState, 'data' | 'training' | 'trainingChoices' | 'prediction'> {
  const { losses, validation, bestStep } = meta.training;
  const lastStep = Math.max(losses.at(-1)?.step ?? 0, validation.at(-1)?.step ?? 0);
  const totalSteps = Math.max(meta.training.totalSteps ?? lastStep, lastStep);
  return {
    // Only well-formed colours come back; anything else (an older or hand-edited project) means the default.
    data: { ...state.data, classNames: [...meta.classNames], classColours: (meta.classColours ?? []).map((c) => (typeof c === 'string' && parseHexColour(c) ? c : null)) },
    training: {
      ...initialTraining,
      status: lastStep > 0 ? 'done' : 'idle',
      step: lastStep,
      // A run stopped at step 30 of 60 still reads 30 / 60 after a reload.
      totalSteps,
      fromStep: meta.training.fromStep ?? 0,
      earlier: meta.training.earlier ?? { losses: [], validation: [] },
      endReason: lastStep > 0 ? (lastStep < totalSteps ? 'stopped' : 'completed') : null,
      losses: [...losses],
      validation: [...validation],
      bestStep,
    },
    // Defaults first: a project saved by an older version may lack a newer choice.
    trainingChoices: { ...initialTrainingChoices, ...meta.trainingChoices },
    prediction: { ...state.prediction, threshold: isThreshold(meta.predictionThreshold) ? meta.predictionThreshold : state.prediction.threshold },
  };
}

/** A prediction threshold as the Predict step offers it: a number in 0-1. */
export function isThreshold(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1;
}
