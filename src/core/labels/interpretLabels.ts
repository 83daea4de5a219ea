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
  /** `classValues`: the file's values that are classes 0, 1, 2, ... in order (e.g. 0, 1, 2, 9); absent: the values are the classes. */
  | { readonly kind: 'classes'; readonly numClasses: number; readonly unlabelledValue?: number; readonly classValues?: readonly number[] }
  | { readonly kind: 'instances' };

export type LabelKind = LabelInterpretation['kind'];

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
      const { numClasses, unlabelledValue, classValues } = interpretation;
      const classOf = classValues ? new Map(classValues.map((value, k) => [value, k])) : null;
      for (let i = 0; i < values.length; i++) {
        const v = values[i] as number;
        const mapped = classOf ? classOf.get(v) : undefined;
        if (v === unlabelledValue) {
          classes[i] = UNLABELLED;
        } else if (mapped !== undefined) {
          classes[i] = mapped;
        } else if (!classOf && Number.isInteger(v) && v >= 0 && v < numClasses) {
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

/** The distinct values of a label file, ascending; at most `limit` (more means an instance map or worse). */
export function distinctLabelValues(values: PixelArray, limit = 257): number[] {
  const distinct = new Set<number>();
  for (let i = 0; i < values.length && distinct.size < limit; i++) distinct.add(values[i] as number);
  return [...distinct].sort((a, b) => a - b);
}

const MAX_GUESSED_CLASSES = 8;

/**
 * The value of unlabelled pixels in a class map, as PyTorch's ignore_index and Pascal VOC use it,
 * and as the studio exports its labels (labelExports.ts): class k is k, unlabelled 255.
 */
export const UNLABELLED_FILE_VALUE = 255;

/** Classes 0..K-1 (some may be missing) beside 255: a class map with unlabelled pixels. */
function isSparseClassMap(distinct: readonly number[]): boolean {
  if (!distinct.includes(UNLABELLED_FILE_VALUE)) return false;
  const classes = distinct.filter((v) => v !== UNLABELLED_FILE_VALUE);
  return classes.length >= 1 && classes.every((v) => Number.isInteger(v) && v >= 0 && v < MAX_GUESSED_CLASSES);
}

/**
 * A first guess at how to read a label file, from its distinct values; the user can change it
 * (interpretationOf). Two values -> binary (the larger is foreground: white cells in ISBI); small
 * classes beside 255 -> classes with 255 unlabelled (the studio's own label export); more values in a
 * 16- or 32-bit file -> instances (an instance map with few objects); a few
 * values -> classes (0..K-1 as they are, else a few byte values each a class in order: 0, 1, 2, 9
 * -> 0-3); otherwise (many ids, or ids past 255, as in 16-bit instance maps) -> instances.
 */
export function guessInterpretation(values: PixelArray): LabelInterpretation {
  const distinct = distinctLabelValues(values);
  // {0, 255} is a binary mask (ISBI: 255 = cell); {1, 255} is class 1 beside unlabelled pixels.
  const oneClassBesideUnlabelled = distinct.length === 2 && distinct[0] !== 0 && isSparseClassMap(distinct);
  if (distinct.length <= 2 && !oneClassBesideUnlabelled) return interpretationOf('binary', distinct);
  if (isSparseClassMap(distinct)) return interpretationOf('classes', distinct);
  // A 16- or 32-bit label image is an instance map (DSB 2018, Cellpose, StarDist), even with few objects:
  // class maps are saved 8-bit. (The menu still reads it as classes where that was meant.)
  if (!(values instanceof Uint8Array || values instanceof Uint8ClampedArray)) return { kind: 'instances' };
  const consecutiveFromZero = distinct.every((v, i) => v === i);
  // A few byte values (0, 1, 2, 9) read as classes; ids past 255 are an instance map's.
  if (distinct.length <= MAX_GUESSED_CLASSES && (consecutiveFromZero || (distinct.at(-1) as number) <= 255)) return interpretationOf('classes', distinct);
  return { kind: 'instances' };
}

/** How to read a file of these distinct values as `kind`. */
export function interpretationOf(kind: LabelKind, distinct: readonly number[]): LabelInterpretation {
  switch (kind) {
    case 'binary':
      // Two values: the larger is the object (white on black); otherwise anything but 0 is.
      return { kind: 'binary', foregroundValue: distinct.length === 2 ? (distinct[1] as number) : 'nonzero' };
    case 'classes': {
      if (isSparseClassMap(distinct)) {
        const classes = distinct.filter((v) => v !== UNLABELLED_FILE_VALUE);
        return { kind: 'classes', numClasses: Math.max(2, (classes.at(-1) as number) + 1), unlabelledValue: UNLABELLED_FILE_VALUE };
      }
      const consecutiveFromZero = distinct.every((v, i) => v === i);
      return consecutiveFromZero ? { kind: 'classes', numClasses: Math.max(2, distinct.length) } : { kind: 'classes', numClasses: Math.max(2, distinct.length), classValues: [...distinct] };
    }
    case 'instances':
      return { kind: 'instances' };
    default: {
      const unknown: never = kind;
      throw new Error(`Unknown label kind ${String(unknown)}`);
    }
  }
}

/** The kinds a file of these values can be read as (classes only for a handful of whole values; instances for whole, non-negative ones). */
export function possibleKinds(distinct: readonly number[]): LabelKind[] {
  const whole = distinct.every((v) => Number.isInteger(v));
  const kinds: LabelKind[] = ['binary'];
  if (whole && distinct.length <= 256) kinds.push('classes');
  if (whole && distinct.every((v) => v >= 0)) kinds.push('instances');
  return kinds;
}

const list = (values: readonly number[]) => (values.length > 6 ? `${values.slice(0, 5).join(', ')}, ..., ${values.at(-1)}` : values.join(', '));

/** "binary mask: 255 is foreground, 0 background", in words for the Data panel. */
export function describeInterpretation(interpretation: LabelInterpretation, distinct: readonly number[]): string {
  switch (interpretation.kind) {
    case 'binary': {
      const fg = interpretation.foregroundValue;
      return fg === 'nonzero' ? 'binary mask: every value but 0 is foreground' : `binary mask: ${fg} is foreground, ${list(distinct.filter((v) => v !== fg))} background`;
    }
    case 'classes': {
      const { numClasses, classValues, unlabelledValue } = interpretation;
      const unlabelled = unlabelledValue !== undefined ? `, ${unlabelledValue} is unlabelled` : '';
      return classValues ? `${numClasses} classes: values ${list(classValues)} are classes 0-${numClasses - 1}${unlabelled}` : `${numClasses} classes: values 0-${numClasses - 1}${unlabelled}`;
    }
    case 'instances': {
      const objects = distinct.filter((v) => v !== 0).length;
      return `instance map: 0 is background, ${objects >= 256 ? '256 or more' : objects} object${objects === 1 ? '' : 's'} (each its own value)`;
    }
    default: {
      const unknown: never = interpretation;
      throw new Error(`Unknown label interpretation ${JSON.stringify(unknown)}`);
    }
  }
}
