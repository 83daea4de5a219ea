/**
 * The one scorer for both sides: foreground probability maps of the validation slices (written by
 * trainOurs.ts and by the PyTorch reference) -> the EM challenge's scores with our metric code.
 */
import { overlapScores } from '../../src/core/metrics/overlapScores';
import { segmentationScores } from '../../src/core/metrics/segmentationScores';
import type { TrainingSample } from '../../src/core/sampling/trainingSample';

export interface StepScores {
  /** Mean over the validation slices of 1 - max Rand F-score (foreground-restricted, 10 thresholds, no thinning). */
  readonly randError: number;
  /** Mean over the validation slices of 1 - max pixel F-score (10 thresholds). */
  readonly pixelError: number;
  /** IoU of the cell class (1) and the membrane class (0), argmax (p > 0.5), pooled over the validation slices. */
  readonly cellIoU: number;
  readonly membraneIoU: number;
  /** The training loss's formula on the validation slices (weighted, per labelled pixel). */
  readonly validationLoss: number;
}

export function scoreProbabilities(foreground: Float32Array, validation: readonly TrainingSample[]): StepScores {
  let rand = 0;
  let pixel = 0;
  let lossSum = 0;
  let labelled = 0;
  const n = (validation[0] as TrainingSample).width * (validation[0] as TrainingSample).height;
  const predicted = new Int32Array(n * validation.length);
  const truth = new Int32Array(n * validation.length);
  for (const [i, sample] of validation.entries()) {
    const p = foreground.subarray(i * n, (i + 1) * n);
    const scores = segmentationScores(p, sample.labels, sample.width, sample.height);
    rand += scores.adaptedRandError;
    pixel += scores.pixelError;
    for (let j = 0; j < n; j++) {
      const pj = p[j] as number;
      predicted[i * n + j] = pj > 0.5 ? 1 : 0;
      const w = sample.weights[j] as number;
      if (w > 0) {
        const pLabel = sample.labels[j] === 1 ? pj : 1 - pj;
        lossSum -= w * Math.log(Math.max(pLabel, 1e-12));
        labelled++;
      }
    }
    truth.set(sample.labels, i * n);
  }
  const overlap = overlapScores(predicted, truth, 2);
  return {
    randError: rand / validation.length,
    pixelError: pixel / validation.length,
    cellIoU: overlap.perClass[1]?.iou ?? NaN,
    membraneIoU: overlap.perClass[0]?.iou ?? NaN,
    validationLoss: lossSum / Math.max(labelled, 1),
  };
}
