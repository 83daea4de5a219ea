import { describe, expect, it } from 'vitest';
import { createStudioStore } from '../../store/createStudioStore';
import type { SliceMetrics } from '../../store/slices/predictionSlice';
import { packageValidationScores } from './packageValidationScores';

const row = (sliceId: string, iou: number, scoring = false): SliceMetrics => ({ sliceId, name: sliceId, iou, dice: iou + 0.1, pixelError: 0.05, adaptedRandError: 0.1, vRand: 0.9, vInfo: 0.95, scoring, hasObjects: true, foregroundFraction: 0.5, sweep: [] });

describe('packageValidationScores', () => {
  it('reports nothing when nothing was held out and scored', () => {
    expect(packageValidationScores(createStudioStore().getState())).toEqual({ scores: [], note: undefined });
  });

  it('takes the kept step\'s validation and the held-out slices this model predicted, never the training slices', () => {
    const store = createStudioStore();
    store.setState((s) => ({
      model: { ...s.model, revision: 3 },
      training: { ...s.training, bestStep: 40, validationSliceIds: ['v1', 'v2', 'v3'], splitDescription: 'validation on 3 of 9 labelled slices',
        validation: [{ step: 20, loss: 0.5, foregroundIoU: 0.6 }, { step: 40, loss: 0.3, foregroundIoU: 0.8 }, { step: 60, loss: 0.35, foregroundIoU: 0.7 }] },
      prediction: { ...s.prediction, threshold: 0.5, modelRevisionOf: { v1: 3, v2: 3, v3: 2, t1: 3 } },
      // v3 was predicted by an earlier model, t1 is a training slice: both left out.
      metrics: { ...s.metrics, rows: [row('v1', 0.7), row('v2', 0.9), row('v3', 0.1), row('t1', 0.99)] },
    }));
    const { scores, note } = packageValidationScores(store.getState());
    expect(note).toBe('Measured by U-Net Studio; validation on 3 of 9 labelled slices.');
    expect(scores.map((s) => [s.name, Number(s.value.toFixed(6)), s.note])).toEqual([
      ['foreground IoU (threshold 0.5, during training)', 0.8, '3 held-out slice(s), step 40'],
      ['validation loss (weighted cross-entropy)', 0.3, '3 held-out slice(s), step 40'],
      ['foreground IoU (threshold 0.5)', 0.8, 'mean of 2 held-out slice(s), predicted'],
      ['Dice (threshold 0.5)', 0.9, 'mean of 2 held-out slice(s), predicted'],
      ['V_Rand (ISBI 2012, Fiji, best threshold)', 0.9, 'mean of 2 held-out slice(s), predicted'],
      ['V_Info (ISBI 2012, Fiji, best threshold)', 0.95, 'mean of 2 held-out slice(s), predicted'],
      ['pixel error (best threshold)', 0.05, 'mean of 2 held-out slice(s), predicted'],
    ]);
  });
});
