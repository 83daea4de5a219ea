import { describe, expect, it } from 'vitest';
import { objectMatchScores } from './objectMatching';

describe('objectMatchScores', () => {
  it('matches objects at IoU > 0.5, a hand-computed 6x4 case', () => {
    // Truth: object 1 (4 px), object 2 (4 px), object 3 (2 px).
    // Prediction: 7 covers object 1 exactly (IoU 1); 8 covers 3 of object 2's pixels plus 1 more
    // (IoU 3 / 5 = 0.6, a match); 9 covers one pixel of object 3 and 2 background pixels (IoU 1 / 4,
    // no match). TP 2, FP 1 (9), FN 1 (3): F1 = 4 / (4 + 1 + 1) = 2/3; mean matched IoU 0.8.
    const truth = [
      1, 1, 0, 2, 2, 0,
      1, 1, 0, 2, 2, 0,
      0, 0, 0, 0, 0, 0,
      3, 3, 0, 0, 0, 0,
    ];
    const predicted = [
      7, 7, 0, 8, 8, 0,
      7, 7, 0, 8, 0, 8,
      9, 9, 0, 0, 0, 0,
      9, 0, 0, 0, 0, 0,
    ];
    const scores = objectMatchScores(truth, predicted);
    expect(scores).toMatchObject({ trueObjects: 3, predictedObjects: 3, truePositives: 2, falsePositives: 1, falseNegatives: 1 });
    expect(scores.f1).toBeCloseTo(2 / 3, 12);
    expect(scores.meanMatchedIoU).toBeCloseTo(0.8, 12);
  });

  it('needs more than the threshold: IoU exactly 0.5 is no match', () => {
    // Truth 1 = 2 px, prediction 1 = those 2 px + 2 more: IoU 2 / 4 = 0.5.
    const scores = objectMatchScores([1, 1, 0, 0], [1, 1, 1, 1]);
    expect(scores.truePositives).toBe(0);
    expect(scores.f1).toBe(0);
  });

  it('scores two empty images as perfect and refuses thresholds that allow double matches', () => {
    expect(objectMatchScores([0, 0], [0, 0]).f1).toBe(1);
    expect(() => objectMatchScores([1], [1], 0.3)).toThrow(/\[0.5, 1\)/);
  });
});
