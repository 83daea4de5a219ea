import { hasLabels } from '../../core/labels/classMap';
import { PAPER_TRAINING } from '../../core/train/trainingSettings';
import { buildTrainingTargets } from '../../core/weights/buildTrainingTargets';
import type { SliceRecord } from '../data/sliceRegistry';

/** The paper's weight map of one slice, with what the panel prints beside it. */
export interface SliceWeightMap {
  /** width * height weights; 0 on unlabelled pixels. */
  readonly weights: Float32Array;
  /** Classes after separation borders (what training warps and learns). */
  readonly classes: Int32Array;
  readonly min: number;
  readonly max: number;
  /** Pixels with a weight > 0 (the ones the loss sees). */
  readonly nonzeroPixels: number;
  /** Whether any pixel is annotated. */
  readonly labelled: boolean;
}

/**
 * The weight map training would use for this slice: the paper's targets (w0 = 10, sigma = 5 px,
 * class balance, touching objects separated, 4-connected objects for semantic labels), exactly
 * as the engine builds them. An imported instance map is used only while it still matches the
 * classes: painting replaces it in the engine (syncEngine sends instances: null after an edit).
 */
export function weightMapForSlice(record: SliceRecord): SliceWeightMap {
  const { width, height, classes } = record;
  const instances = record.instances && instancesMatchClasses(record.instances, classes) ? record.instances : null;
  const targets = buildTrainingTargets({ classes, instances }, width, height, PAPER_TRAINING.targets);
  let min = Infinity;
  let max = -Infinity;
  let nonzeroPixels = 0;
  for (const w of targets.weights) {
    if (w < min) min = w;
    if (w > max) max = w;
    if (w > 0) nonzeroPixels++;
  }
  return {
    weights: targets.weights,
    classes: targets.classes,
    min: targets.weights.length > 0 ? min : 0,
    max: targets.weights.length > 0 ? max : 0,
    nonzeroPixels,
    labelled: hasLabels(classes),
  };
}

/** An instance map read from a file gives class 1 inside objects and 0 elsewhere; any other class means it was painted over. */
function instancesMatchClasses(instances: Int32Array, classes: Int32Array): boolean {
  if (instances.length !== classes.length) return false;
  for (let i = 0; i < classes.length; i++) if (classes[i] !== ((instances[i] as number) > 0 ? 1 : 0)) return false;
  return true;
}

/**
 * Matplotlib's "inferno" (perceptually uniform, luminance rising monotonically, black at the low
 * end so unlabelled pixels read as "no weight"): 32 of the 256 rows of `_inferno_data` in
 * matplotlib 3.6.3 lib/matplotlib/_cm_listed.py (CC0, Nathaniel J. Smith and Stefan van der Walt),
 * rows round(i * 255 / 31), scaled to 0-255 and rounded.
 */
const INFERNO_32: readonly (readonly [number, number, number])[] = [
  [0, 0, 4], [4, 3, 18], [11, 7, 36], [22, 11, 57], [35, 12, 76], [49, 10, 92], [62, 9, 102], [77, 13, 108],
  [90, 17, 110], [103, 22, 110], [116, 26, 110], [128, 31, 108], [143, 36, 105], [155, 41, 100], [168, 46, 95], [180, 51, 89],
  [193, 58, 80], [204, 66, 72], [215, 75, 63], [224, 85, 54], [233, 97, 43], [239, 110, 33], [245, 123, 23], [248, 137, 12],
  [251, 151, 6], [252, 168, 13], [251, 184, 29], [249, 199, 47], [246, 215, 70], [242, 232, 101], [243, 245, 134], [252, 255, 164],
];

/** 256-entry RGB lookup table interpolated linearly between the stops: one table read per pixel. */
const LUT = buildLut(INFERNO_32, 256);

function buildLut(stops: readonly (readonly [number, number, number])[], size: number): Uint8ClampedArray {
  const lut = new Uint8ClampedArray(size * 3);
  for (let i = 0; i < size; i++) {
    const position = (i / (size - 1)) * (stops.length - 1);
    const lower = Math.min(Math.floor(position), stops.length - 2);
    const t = position - lower;
    const a = stops[lower] as readonly [number, number, number];
    const b = stops[lower + 1] as readonly [number, number, number];
    for (let c = 0; c < 3; c++) lut[i * 3 + c] = Math.round((a[c] as number) + ((b[c] as number) - (a[c] as number)) * t);
  }
  return lut;
}

/** The RGB colour of a weight on the [min, max] scale (values outside are clamped). */
export function heatColour(weight: number, max: number, min = 0): readonly [number, number, number] {
  const i = lutIndex(weight, min, max);
  return [LUT[i * 3] as number, LUT[i * 3 + 1] as number, LUT[i * 3 + 2] as number];
}

function lutIndex(weight: number, min: number, max: number): number {
  const span = max - min;
  if (!(span > 0)) return weight > min ? 255 : 0;
  const t = (weight - min) / span;
  return t <= 0 ? 0 : t >= 1 ? 255 : Math.round(t * 255);
}

/**
 * A weight map as an opaque RGBA heat map: min maps to the first colour stop, max to the last.
 * The component wraps the result in an ImageData.
 */
export function weightMapToImage(weights: Float32Array, width: number, height: number, max: number, min = 0): Uint8ClampedArray<ArrayBuffer> {
  if (weights.length !== width * height) {
    throw new Error(`The weight map has ${weights.length} values, but a ${width}x${height} image needs ${width * height}.`);
  }
  const out = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < weights.length; p++) {
    const i = lutIndex(weights[p] as number, min, max) * 3;
    out[p * 4] = LUT[i] as number;
    out[p * 4 + 1] = LUT[i + 1] as number;
    out[p * 4 + 2] = LUT[i + 2] as number;
    out[p * 4 + 3] = 255;
  }
  return out;
}

/** The colour bar as gradient stops (offset 0..1, CSS colour), low to high. */
export function colourBarStops(): { readonly offset: number; readonly colour: string }[] {
  return INFERNO_32.map(([r, g, b], i) => ({ offset: i / (INFERNO_32.length - 1), colour: `rgb(${r}, ${g}, ${b})` }));
}

/** A CSS linear-gradient for the colour bar (left = min, right = max). */
export function colourBarGradient(): string {
  return `linear-gradient(to right, ${colourBarStops().map((s) => `${s.colour} ${(s.offset * 100).toFixed(2)}%`).join(', ')})`;
}
