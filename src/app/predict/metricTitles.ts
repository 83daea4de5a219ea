/**
 * What each metrics column means, its scale, whether it follows the threshold slider and what it is
 * on a slice whose labels hold no objects (docs/metrics.md says the same at length).
 */
export const METRIC_TITLES = {
  slice: 'The slice. (validation): held out of the last training run, so its scores are honest. (no objects): its labels hold no foreground; such slices are listed apart and not averaged.',
  iou: 'Foreground IoU: |P ∩ T| / |P ∪ T| of class 1 over the labelled pixels, 0 to 1, higher is better. ' +
    'Read at the threshold slider: it moves with the slider. No objects in the labels: 1 when nothing is predicted either, 0 when anything is.',
  dice: 'Foreground Dice: 2|P ∩ T| / (|P| + |T|), 0 to 1, higher is better. Read at the threshold slider: it moves with the slider. ' +
    'No objects in the labels: 1 when nothing is predicted either, 0 when anything is.',
  pixelError: 'Pixel error (ISBI 2012): 1 − the best pixel F-score over the challenge\'s 11 thresholds 0, 0.1, …, 1, 0 to 1, lower is better. ' +
    'The slice\'s own best threshold: it does not follow the slider (the sweep chart shows every threshold). ' +
    'No objects in the labels: 0 when some threshold predicts nothing, else 1 (Fiji\'s convention).',
  adaptedRandError: 'Rand error as skimage.metrics.adapted_rand_error of the 4-connected cells, 0 to 1, lower is better: ' +
    'pairs counted n(n−1), the predicted border one segment. Best of the 11 thresholds: it does not follow the slider. ' +
    'Not the challenge\'s foreground-restricted Rand error (Fiji; the line below the table). n/a without objects in the labels (skimage gives NaN: no true pairs).',
  vRand: 'V_Rand (ISBI 2012, Fiji, thinned), 0 to 1, higher is better: the foreground-restricted Rand F-score after Fiji\'s watershed thins the predicted borders; ' +
    'true cells unthinned, each border pixel its own segment. The slice\'s best of the 11 thresholds: it does not follow the slider.',
  vInfo: 'V_Info (ISBI 2012, Fiji, thinned), 0 to 1, higher is better: the information-theoretic F-score after the same thinning. ' +
    'The slice\'s best of the 11 thresholds: it does not follow the slider.',
  randUndefined: 'Undefined: the labels hold no objects, so there are no true pairs of pixels to compare (skimage returns NaN).',
  emptySlices: 'Slices whose labels hold no foreground (empty fields). IoU and Dice there say only whether anything was predicted, ' +
    'and the Rand error is undefined, so these rows are not averaged; each says how much of it was called foreground at the slider.',
};

export const MEAN_TITLE = 'The mean of the slices whose labels have objects: IoU and Dice at the slider, the other columns each slice at its own best threshold. ' +
  'Slices without objects are listed apart and left out.';
