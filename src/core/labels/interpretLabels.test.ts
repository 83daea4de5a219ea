import { describe, expect, it } from 'vitest';
import { StudioError } from '../errors';
import { UNLABELLED } from './classMap';
import type { LabelKind } from './interpretLabels';
import { describeInterpretation, distinctLabelValues, guessInterpretation, interpretationOf, interpretLabels, possibleKinds } from './interpretLabels';
import { instancesToSemantic, semanticToInstances } from './semanticToInstances';

describe('interpretLabels', () => {
  it('reads binary masks with a chosen foreground value, or any non-zero value', () => {
    const values = Uint8Array.of(0, 255, 128, 255);
    expect(Array.from(interpretLabels(values, { kind: 'binary', foregroundValue: 255 }).classes)).toEqual([0, 1, 0, 1]);
    expect(Array.from(interpretLabels(values, { kind: 'binary', foregroundValue: 'nonzero' }).classes)).toEqual([0, 1, 1, 1]);
    expect(Array.from(interpretLabels(values, { kind: 'binary', foregroundValue: 0 }).classes)).toEqual([1, 0, 0, 0]);
  });

  it('reads class maps and an unlabelled value', () => {
    const labels = interpretLabels(Uint8Array.of(0, 1, 2, 255), { kind: 'classes', numClasses: 3, unlabelledValue: 255 });
    expect(Array.from(labels.classes)).toEqual([0, 1, 2, UNLABELLED]);
  });

  it('rejects class values outside the class set with a message naming the file and the value', () => {
    const read = () => interpretLabels(Uint8Array.of(0, 1, 7), { kind: 'classes', numClasses: 3 }, 'cells_mask.png');
    expect(read).toThrow(StudioError);
    expect(read).toThrow(/cells_mask\.png has the value 7, but the project has 3 classes \(values 0 to 2\)/);
    try { read(); } catch (e) { expect((e as StudioError).code).toBe('invalid-labels'); }
  });

  it('reads instance maps: class 1 on objects, ids kept; rejects negative or fractional ids', () => {
    const labels = interpretLabels(Uint16Array.of(0, 3, 3, 1000), { kind: 'instances' });
    expect(Array.from(labels.classes)).toEqual([0, 1, 1, 1]);
    expect(Array.from(labels.instances!)).toEqual([0, 3, 3, 1000]);
    expect(() => interpretLabels(Float32Array.of(0, 1.5), { kind: 'instances' }, 'x.tif')).toThrow(/x\.tif has the value 1\.5: instance maps need whole numbers/);
  });

  it('guesses binary, class and instance maps from the values', () => {
    expect(guessInterpretation(Uint8Array.of(0, 255, 0))).toEqual({ kind: 'binary', foregroundValue: 255 });
    expect(guessInterpretation(Uint8Array.of(0, 1, 2, 1))).toEqual({ kind: 'classes', numClasses: 3 });
    // A few values that are not 0..K-1: each value a class, in order (not silently merged into foreground).
    expect(guessInterpretation(Uint8Array.of(0, 1, 2, 9))).toEqual({ kind: 'classes', numClasses: 4, classValues: [0, 1, 2, 9] });
    expect(guessInterpretation(Uint16Array.from({ length: 50 }, (_, i) => i * 3))).toEqual({ kind: 'instances' });
  });

  it('reads one file each way the user may choose, and says in words how', () => {
    const values = Uint8Array.of(0, 1, 2, 9, 9, 0);
    const distinct = distinctLabelValues(values);
    expect(distinct).toEqual([0, 1, 2, 9]);
    expect(possibleKinds(distinct)).toEqual(['binary', 'classes', 'instances']);
    const read = (kind: LabelKind) => interpretLabels(values, interpretationOf(kind, distinct));
    expect(Array.from(read('classes').classes)).toEqual([0, 1, 2, 3, 3, 0]);
    expect(Array.from(read('binary').classes)).toEqual([0, 1, 1, 1, 1, 0]);
    expect(Array.from(read('instances').classes)).toEqual([0, 1, 1, 1, 1, 0]);
    expect(Array.from(read('instances').instances ?? [])).toEqual([0, 1, 2, 9, 9, 0]);
    expect(describeInterpretation(interpretationOf('classes', distinct), distinct)).toBe('4 classes: values 0, 1, 2, 9 are classes 0-3');
    expect(describeInterpretation(interpretationOf('binary', distinct), distinct)).toBe('binary mask: every value but 0 is foreground');
    expect(describeInterpretation(interpretationOf('instances', distinct), distinct)).toBe('instance map: 0 is background, 3 objects (each its own value)');
    expect(describeInterpretation(interpretationOf('binary', [0, 255]), [0, 255])).toBe('binary mask: 255 is foreground, 0 background');
    expect(describeInterpretation(interpretationOf('classes', [0, 1, 2]), [0, 1, 2])).toBe('3 classes: values 0-2');
    expect(possibleKinds([-1, 0, 1])).toEqual(['binary', 'classes']);
  });
});

describe('instance <-> semantic', () => {
  it('splits the foreground into 4-connected objects and merges them back', () => {
    // Two blobs touching diagonally only: two objects with 4-connectivity, one with 8.
    const classes = Int32Array.of(1, 0, 0, 1);
    expect(Array.from(semanticToInstances(classes, 2, 2))).toEqual([1, 0, 0, 2]);
    expect(Array.from(semanticToInstances(classes, 2, 2, 1, 8))).toEqual([1, 0, 0, 1]);
    expect(Array.from(instancesToSemantic(Int32Array.of(0, 5, 2, 0)))).toEqual([0, 1, 1, 0]);
  });

  it('reads small classes beside 255 as a class map with unlabelled pixels (the studio\'s label export, PyTorch\'s ignore_index)', () => {
    const values = Uint8Array.from([0, 1, 255, 2, 255, 0]);
    const guessed = guessInterpretation(values);
    expect(guessed).toEqual({ kind: 'classes', numClasses: 3, unlabelledValue: 255 });
    expect(Array.from(interpretLabels(values, guessed).classes)).toEqual([0, 1, UNLABELLED, 2, UNLABELLED, 0]);
    expect(describeInterpretation(guessed, [0, 1, 2, 255])).toBe('3 classes: values 0-2, 255 is unlabelled');
    // Only class 1 painted: still classes; {0, 255} stays the ISBI binary mask; three grey levels stay three classes.
    expect(guessInterpretation(Uint8Array.from([1, 255]))).toEqual({ kind: 'classes', numClasses: 2, unlabelledValue: 255 });
    expect(guessInterpretation(Uint8Array.from([0, 255]))).toEqual({ kind: 'binary', foregroundValue: 255 });
    expect(guessInterpretation(Uint8Array.from([0, 128, 255]))).toEqual({ kind: 'classes', numClasses: 3, classValues: [0, 128, 255] });
  });

  it('reads a 16-bit label image with few values as an instance map (a DSB image with 3 nuclei), an 8-bit one as classes', () => {
    expect(guessInterpretation(Uint16Array.from([0, 1, 2, 3, 0]))).toEqual({ kind: 'instances' });
    expect(guessInterpretation(Uint8Array.from([0, 1, 2, 3, 0]))).toEqual({ kind: 'classes', numClasses: 4 });
    expect(guessInterpretation(Uint16Array.from([0, 7]))).toEqual({ kind: 'binary', foregroundValue: 7 }); // two values: still a mask
  });
});
