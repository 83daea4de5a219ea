import { StudioError } from '../errors';
import type { PixelArray } from '../image/imageStack';
import { UNLABELLED } from './classMap';

/**
 * How the values of a label file are read:
 * - binary: `foregroundValue` is class 1, every other value class 0 (ISBI: 255 = cell, 0 = membrane);
 *   with foregroundValue 'nonzero', any non-zero value is class 1.
 * - classes: values are class indices 0..numClasses-1; `unlabelledValue` (if set) marks unannotated pixels.
 * - instances: 0 = background, 1..N = objects; semantic class 1 for every object, instance ids kept.
 */
export type LabelInterpretation =
  | { readonly kind: 'binary'; readonly foregroundValue: number | 'nonzero' }
  | { readonly kind: 'classes'; readonly numClasses: number; readonly unlabelledValue?: number }
  | { readonly kind: 'instances' };

export interface InterpretedLabels {
  /** 0..K-1 per pixel, or UNLABELLED. */
  readonly classes: Int32Array;
  /** 0 = no object, 1..N object ids; only for instance labels. */
  readonly instances: Int32Array | null;
}

/** Reads one label slice (single channel) as classes and, for instance maps, instance ids. */
export function interpretLabels(values: PixelArray, interpretation: LabelInterpretation, fileName = 'the label file'): InterpretedLabels {
  const classes = new Int32Array(values.length);
  switch (interpretation.kind) {
    case 'binary': {
      const fg = interpretation.foregroundValue;
      for (let i = 0; i < values.length; i++) {
        const v = values[i] as number;
        classes[i] = (fg === 'nonzero' ? v !== 0 : v === fg) ? 1 : 0;
      }
      return { classes, instances: null };
    }
    case 'classes': {
      const { numClasses, unlabelledValue } = interpretation;
      for (let i = 0; i < values.length; i++) {
        const v = values[i] as number;
        if (v === unlabelledValue) {
          classes[i] = UNLABELLED;
        } else if (Number.isInteger(v) && v >= 0 && v < numClasses) {
          classes[i] = v;
        } else {
          throw new StudioError('invalid-labels',
            `${fileName} has the value ${v}, but the project has ${numClasses} classes (values 0 to ${numClasses - 1}` +
            `${unlabelledValue !== undefined ? `, and ${unlabelledValue} for unlabelled` : ''}). ` +
            'Check the number of classes, or load the file as a binary mask or instance map.');
        }
      }
      return { classes, instances: null };
    }
    case 'instances': {
      const instances = new Int32Array(values.length);
      for (let i = 0; i < values.length; i++) {
        const v = values[i] as number;
        if (!Number.isInteger(v) || v < 0) {
          throw new StudioError('invalid-labels', `${fileName} has the value ${v}: instance maps need whole numbers, 0 for background and 1, 2, ... for objects.`);
        }
        instances[i] = v;
        classes[i] = v > 0 ? 1 : 0;
      }
      return { classes, instances };
    }
    default: {
      const unknown: never = interpretation;
      throw new Error(`Unknown label interpretation ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * A first guess at how to read a label file, from its distinct values; the user can change it.
 * Two values -> binary (the larger is foreground: white cells in ISBI), a few small
 * consecutive values -> classes, otherwise (many ids, as 16-bit instance maps) -> instances.
 */
export function guessInterpretation(values: PixelArray): LabelInterpretation {
  const distinct = new Set<number>();
  for (let i = 0; i < values.length && distinct.size <= 256; i++) distinct.add(values[i] as number);
  const sorted = [...distinct].sort((a, b) => a - b);
  if (sorted.length <= 2) return { kind: 'binary', foregroundValue: sorted.length === 2 ? (sorted[1] as number) : 'nonzero' };
  const consecutiveFromZero = sorted.every((v, i) => v === i);
  if (consecutiveFromZero && sorted.length <= 8) return { kind: 'classes', numClasses: sorted.length };
  return { kind: 'instances' };
}
