/**
 * The one scorer for both sides: foreground probability maps of the validation slices (written by
 * trainOurs.ts and by the PyTorch reference) -> the EM challenge's scores with our metric code.
 */
import type { IsbiSliceScores } from '../../src/core/metrics/isbiScores';
import { isbiSliceScores, isbiStackScores } from '../../src/core/metrics/isbiScores';
import { overlapScores } from '../../src/core/metrics/overlapScores';
import { segmentationScores } from '../../src/core/metrics/segmentationScores';
import type { TrainingSample } from '../../src/core/sampling/trainingSample';

export interface StepScores {
  /** The validation slices as one ISBI stack, as Fiji scores it (isbiScores.ts): V_Rand and V_Info at one best threshold (1 at best). */
  readonly vRand: number;
  readonly vInfo: number;
  /** The 2012 leaderboard's foreground-restricted Rand error over the same stack (Fiji; the U-Net paper's Table 1 scale, 0 at best). */
  readonly foregroundRestrictedRandError: number;
  /** Mean over the validation slices of skimage's adapted Rand error, each at its best of the 11 thresholds. */
  readonly adaptedRandError: number;
  /** Mean over the validation slices of 1 - max pixel F-score (11 thresholds). */
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
  const isbi: IsbiSliceScores[] = [];
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
    isbi.push(isbiSliceScores(p, Uint8Array.from(sample.labels, (k) => (k === 1 ? 1 : 0)), sample.width, sample.height));
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
  const stack = isbiStackScores(isbi);
  return {
    vRand: stack.vRand.value,
    vInfo: stack.vInfo.value,
    foregroundRestrictedRandError: stack.foregroundRestrictedRandError.value,
    adaptedRandError: rand / validation.length,
    pixelError: pixel / validation.length,
    cellIoU: overlap.perClass[1]?.iou ?? NaN,
    membraneIoU: overlap.perClass[0]?.iou ?? NaN,
    validationLoss: lossSum / Math.max(labelled, 1),
  };
}
