import { StudioError } from '../../core/errors';
import { encodePng } from '../../core/io/encodePng';
import { encodeTiff } from '../../core/io/encodeTiff';
import type { PredictionRegistry } from '../predict/predictionRegistry';
import { zipNamedFiles, type NamedBytes } from './modelZip';

/** One predicted slice, ready to write: classes after the threshold / argmax, and class 1's probability. */
export interface PredictedSlice {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly numClasses: number;
  readonly classes: Int32Array;
  readonly foreground: Float32Array;
}

export const MASK_PNG_ZIP_NAME = 'masks-png.zip';

/** Finished predictions in slice order (`slices` as data.slices lists them); slices without one are left out. */
export function collectPredictedSlices(slices: readonly { readonly id: string; readonly name: string }[], predictions: PredictionRegistry, threshold: number): PredictedSlice[] {
  return slices.flatMap(({ id, name }) => {
    const p = predictions.get(id);
    const classes = predictions.classesOf(id, threshold);
    const foreground = predictions.foregroundOf(id);
    if (!p?.done || !classes || !foreground) return [];
    return [{ name, width: p.width, height: p.height, numClasses: p.numClasses, classes, foreground }];
  });
}

/**
 * masks.tif (uint8 class per pixel) and probabilities.tif (float32 foreground probability), one page
 * per slice in slice order. A TIFF stack holds one size, so slices of other sizes go to their own
 * pair of files, named by size (masks-512x512.tif, ...).
 */
export function buildTiffExports(slices: readonly PredictedSlice[]): NamedBytes[] {
  const groups = groupBySize(slices);
  const suffix = (key: string) => (groups.size > 1 ? `-${key}` : '');
  return [...groups].flatMap(([key, group]) => {
    const { width, height } = group[0] as PredictedSlice;
    const pixels = width * height;
    const masks = new Uint8Array(pixels * group.length);
    const probabilities = new Float32Array(pixels * group.length);
    group.forEach((slice, z) => {
      if (slice.numClasses > 256) throw new StudioError('unsupported-format', `${slice.name}: ${slice.numClasses} classes do not fit an 8-bit mask.`);
      masks.set(slice.classes, z * pixels); // class indices 0..255: Uint8Array.set keeps them exactly
      probabilities.set(slice.foreground, z * pixels);
    });
    const stack = { width, height, slices: group.length, channels: 1 } as const;
    return [
      { name: `masks${suffix(key)}.tif`, bytes: encodeTiff({ ...stack, dtype: 'uint8', data: masks }) },
      { name: `probabilities${suffix(key)}.tif`, bytes: encodeTiff({ ...stack, dtype: 'float32', data: probabilities }) },
    ];
  });
}

/**
 * One zip with, per slice, masks/<name>.png (8-bit, class index x 255/(k-1), so two classes give
 * 0 / 255 and masks are visible in any viewer) and probabilities/<name>.png (16-bit, foreground
 * probability x 65535, rounded).
 */
export function buildPngZip(slices: readonly PredictedSlice[]): Uint8Array {
  const stems = uniqueStems(slices.map((s) => s.name));
  const entries = slices.flatMap((slice, i) => {
    const stem = stems[i] as string;
    const { width, height } = slice;
    return [
      { name: `masks/${stem}.png`, bytes: encodePng({ width, height, slices: 1, channels: 1, dtype: 'uint8', data: maskToGrey(slice.classes, slice.numClasses) }) },
      { name: `probabilities/${stem}.png`, bytes: encodePng({ width, height, slices: 1, channels: 1, dtype: 'uint16', data: probabilityToUint16(slice.foreground) }) },
    ];
  });
  return zipNamedFiles(entries);
}

/** Class c of k becomes round(c x 255 / (k - 1)). */
export function maskToGrey(classes: Int32Array, numClasses: number): Uint8Array {
  const scale = 255 / Math.max(1, numClasses - 1);
  return Uint8Array.from(classes, (c) => Math.round(c * scale));
}

/** Probability p becomes round(p x 65535), clamped to [0, 1] first. */
export function probabilityToUint16(probabilities: Float32Array): Uint16Array {
  return Uint16Array.from(probabilities, (p) => Math.round(Math.min(1, Math.max(0, p)) * 65535));
}

function groupBySize(slices: readonly PredictedSlice[]): Map<string, PredictedSlice[]> {
  const groups = new Map<string, PredictedSlice[]>();
  for (const slice of slices) {
    const key = `${slice.width}x${slice.height}`;
    groups.set(key, [...(groups.get(key) ?? []), slice]);
  }
  return groups;
}

/** Slice names as safe file names without their image extension, made unique with -2, -3, ... */
function uniqueStems(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    const stem = name.replace(/\.(tiff?|png|jpe?g)$/i, '').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[_.]+|_+$/g, '') || 'slice';
    let unique = stem;
    for (let n = 2; used.has(unique); n++) unique = `${stem}-${n}`;
    used.add(unique);
    return unique;
  });
}
