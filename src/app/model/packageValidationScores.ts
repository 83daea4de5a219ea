import type { ValidationScore } from '../../core/export/bioimageio/packageInfo';
import type { PredictionSlice } from '../../store/slices/predictionSlice';
import type { TrainingSlice } from '../../store/slices/trainingSlice';

type ScoreSources = Pick<TrainingSlice, 'training'> & Pick<PredictionSlice, 'prediction' | 'metrics'> & { readonly model: { readonly revision: number } };

/**
 * The scores the studio measured on its held-out slices, for the package's Validation section:
 * training's validation at the kept (best) step, else the last one; and the prediction scores of the
 * held-out slices with objects that this model predicted (the metrics table's, averaged). Never the training
 * slices' scores: they would flatter the model.
 */
export function packageValidationScores({ training, prediction, metrics, model }: ScoreSources): { scores: ValidationScore[]; note: string | undefined } {
  const scores: ValidationScore[] = [];
  const all = [...training.earlier.validation, ...training.validation];
  const kept = all.find((v) => v.step === training.bestStep) ?? all.at(-1);
  if (kept) {
    const heldOut = `${training.validationSliceIds.length} held-out slice(s), step ${kept.step}`;
    scores.push(
      { name: 'foreground IoU (threshold 0.5, during training)', value: kept.foregroundIoU, note: heldOut },
      { name: 'validation loss (weighted cross-entropy)', value: kept.loss, note: heldOut },
    );
  }
  // Empty fields are left out, as in the table's mean (their IoU is 0 or 1, their Rand error undefined).
  const heldOutRows = metrics.rows.filter((row) => training.validationSliceIds.includes(row.sliceId) && !row.scoring && row.hasObjects &&
    prediction.modelRevisionOf[row.sliceId] === model.revision);
  if (heldOutRows.length > 0) {
    const mean = (pick: (row: typeof heldOutRows[number]) => number) => heldOutRows.reduce((sum, row) => sum + pick(row), 0) / heldOutRows.length;
    const on = `mean of ${heldOutRows.length} held-out slice(s), predicted`;
    scores.push(
      { name: `foreground IoU (threshold ${prediction.threshold})`, value: mean((r) => r.iou), note: on },
      { name: `Dice (threshold ${prediction.threshold})`, value: mean((r) => r.dice), note: on },
      { name: 'V_Rand (ISBI 2012, Fiji, best threshold)', value: mean((r) => r.vRand), note: on },
      { name: 'V_Info (ISBI 2012, Fiji, best threshold)', value: mean((r) => r.vInfo), note: on },
      { name: 'pixel error (best threshold)', value: mean((r) => r.pixelError), note: on },
    );
  }
  if (scores.length === 0) return { scores, note: undefined };
  return { scores, note: training.splitDescription ? `Measured by U-Net Studio; ${training.splitDescription}.` : 'Measured by U-Net Studio.' };
}
