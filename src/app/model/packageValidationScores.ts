import type { ValidationScore } from '../../core/export/bioimageio/packageInfo';
import type { TrainingSlice } from '../../store/slices/trainingSlice';

/**
 * The scores the studio measured on its held-out slices, for the package's Validation section:
 * those of the kept (best) step, else the last validation. None when no run validated.
 */
export function packageValidationScores(training: TrainingSlice['training']): { scores: ValidationScore[]; note: string | undefined } {
  const all = [...training.earlier.validation, ...training.validation];
  const kept = all.find((v) => v.step === training.bestStep) ?? all.at(-1);
  if (!kept) return { scores: [], note: undefined };
  const heldOut = `${training.validationSliceIds.length} held-out slice(s), step ${kept.step}`;
  return {
    scores: [
      { name: 'foreground IoU (threshold 0.5)', value: kept.foregroundIoU, note: heldOut },
      { name: 'validation loss (weighted cross-entropy)', value: kept.loss, note: heldOut },
    ],
    note: training.splitDescription ? `Measured by U-Net Studio during training; ${training.splitDescription}.` : 'Measured by U-Net Studio during training.',
  };
}
