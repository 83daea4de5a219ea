import { StudioError } from '../errors';
import type { PixelArray, PixelDType } from '../image/imageStack';
import { pixelArrayFor } from '../image/imageStack';
import { decodeTiff } from '../io/decodeTiff';
import { encodeTiff } from '../io/encodeTiff';
import { MAX_SLICE_PIXELS } from '../io/sliceSizeLimit';
import { UNLABELLED } from '../labels/classMap';
import { isolate } from '../text/isolate';
import type { ManifestPrediction, ManifestSlice } from './projectManifest';
import { PROBABILITY_SCALE, UNLABELLED_UINT16, UNLABELLED_UINT8 } from './projectManifest';

/** A slice as the project file carries it (the page's SliceRecord has this shape). */
export interface ProjectSliceData {
  readonly id: string;
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly dtype: PixelDType;
  /** Row-major, channels interleaved. */
  readonly pixels: PixelArray;
  /** Class per pixel, UNLABELLED (-1) where unlabelled. */
  readonly classes: Int32Array;
  readonly instances?: Int32Array | null;
}

/** A finished prediction: quantised softmax probabilities (core/predict/quantiseProbabilities) and object ids. */
export interface ProjectPredictionData {
  readonly numClasses: number;
  /** (h x w x (numClasses - 1)) probabilities of classes 1..numClasses-1 as p * PROBABILITY_SCALE. */
  readonly quantised: Uint16Array;
  readonly instances: Int32Array;
  readonly instanceCount: number;
  readonly fromCurrentModel: boolean;
}

export interface ProjectFile {
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** Writes one slice's files under `folder` and its manifest entry; each file is made only when `emit` asks, so a big slice's files are never all in memory at once. */
export function encodeSliceFiles(slice: ProjectSliceData, prediction: ProjectPredictionData | null, folder: string): { entry: ManifestSlice; files: (() => ProjectFile)[] } {
  const { width, height, channels, dtype } = slice;
  const instances = slice.instances ?? null;
  const paths = { image: `${folder}/image.tif`, labels: `${folder}/labels.tif`, instances: `${folder}/instances.tif`, probabilities: `${folder}/prediction.tif`, predictedInstances: `${folder}/prediction-instances.tif` };
  const files: (() => ProjectFile)[] = [
    () => ({ path: paths.image, bytes: encodeTiff({ width, height, slices: channels, channels: 1, dtype, data: planar(slice.pixels, channels) }) }),
    () => ({ path: paths.labels, bytes: encodeTiff(labelStack(slice), { compression: 'deflate' }) }),
  ];
  if (instances) files.push(() => ({ path: paths.instances, bytes: encodeTiff({ width, height, slices: 1, channels: 1, dtype: 'uint32', data: new Uint32Array(instances) }, { compression: 'deflate' }) }));
  let manifestPrediction: ManifestPrediction | null = null;
  if (prediction) {
    const { numClasses, instanceCount } = prediction;
    files.push(() => ({ path: paths.probabilities, bytes: encodeTiff({ width, height, slices: numClasses - 1, channels: 1, dtype: 'uint16', data: probabilityPages(prediction.quantised, numClasses) }) }));
    files.push(() => ({
      path: paths.predictedInstances,
      bytes: encodeTiff(instanceCount <= 0xffff
        ? { width, height, slices: 1, channels: 1, dtype: 'uint16', data: new Uint16Array(prediction.instances) }
        : { width, height, slices: 1, channels: 1, dtype: 'uint32', data: new Uint32Array(prediction.instances) }, { compression: 'deflate' }),
    }));
    manifestPrediction = { probabilities: paths.probabilities, numClasses, instances: paths.predictedInstances, instanceCount, fromCurrentModel: prediction.fromCurrentModel };
  }
  const entry: ManifestSlice = {
    id: slice.id, name: slice.name, width, height, channels, dtype, image: paths.image, labels: paths.labels,
    instances: instances ? paths.instances : null, prediction: manifestPrediction,
  };
  return { entry, files };
}

/**
 * Reads one slice's files back, checking each against the manifest (size, pages, pixel type, label
 * and probability values); a StudioError names the slice and the file. `read` returns a file's
 * bytes, or null when the zip lacks it.
 */
export function decodeSliceFiles(entry: ManifestSlice, read: (path: string) => Uint8Array | null, maxSlicePixels: number = MAX_SLICE_PIXELS): { slice: ProjectSliceData; prediction: ProjectPredictionData | null } {
  const { width, height, channels, dtype } = entry;
  const where = (path: string) => `${isolate(entry.name)} (${isolate(path)})`;
  const stack = (path: string) => {
    const bytes = read(path);
    if (!bytes) throw new StudioError('decode-failed', `${where(path)}: the file is missing from the project zip.`);
    const decoded = decodeTiff(bytes, path, maxSlicePixels);
    if (decoded.width !== width || decoded.height !== height || decoded.channels !== 1) {
      throw new StudioError('size-mismatch', `${where(path)} is ${decoded.width}×${decoded.height} px with ${decoded.channels} sample(s) a pixel; the manifest says ${width}×${height} px, one sample.`);
    }
    return decoded;
  };
  const image = stack(entry.image);
  if (image.slices !== channels || image.dtype !== dtype) {
    throw new StudioError('shape-mismatch', `${where(entry.image)} holds ${image.slices} page(s) of ${image.dtype}; the manifest says ${channels} channel page(s) of ${dtype}.`);
  }
  const labels = stack(entry.labels);
  const classes = classesOf(labels.data, labels.dtype, labels.slices, where(entry.labels));
  let instances: Int32Array | null = null;
  if (entry.instances) {
    const map = stack(entry.instances);
    instances = idsOf(map.data, map.slices, where(entry.instances));
  }
  const slice: ProjectSliceData = { id: entry.id, name: entry.name, width, height, channels, dtype, pixels: interleaved(image.data, channels), classes, instances };
  return { slice, prediction: entry.prediction ? predictionOf(entry.prediction, stack, where) : null };
}

function predictionOf(p: ManifestPrediction, stack: (path: string) => ReturnType<typeof decodeTiff>, where: (path: string) => string): ProjectPredictionData {
  const pages = stack(p.probabilities);
  if (pages.dtype !== 'uint16' || pages.slices !== p.numClasses - 1) {
    throw new StudioError('shape-mismatch', `${where(p.probabilities)} holds ${pages.slices} page(s) of ${pages.dtype}; a ${p.numClasses}-class prediction has ${p.numClasses - 1} of uint16.`);
  }
  const quantised = quantisedOf(pages.data as Uint16Array, p.numClasses, where(p.probabilities));
  const map = stack(p.instances);
  const instances = idsOf(map.data, map.slices, where(p.instances));
  for (const id of instances) if (id > p.instanceCount) throw new StudioError('invalid-labels', `${where(p.instances)} has object ${id}; the manifest says ${p.instanceCount} objects.`);
  return { numClasses: p.numClasses, quantised, instances, instanceCount: p.instanceCount, fromCurrentModel: p.fromCurrentModel };
}

/** Channels interleaved (r g b r g b) -> one page per channel. */
function planar(pixels: PixelArray, channels: number): PixelArray {
  if (channels === 1) return pixels;
  const n = pixels.length / channels;
  const out = pixelArrayFor(dtypeOfArray(pixels), pixels.length);
  for (let i = 0; i < n; i++) for (let c = 0; c < channels; c++) out[c * n + i] = pixels[i * channels + c] as number;
  return out;
}

function interleaved(pages: PixelArray, channels: number): PixelArray {
  if (channels === 1) return pages;
  const n = pages.length / channels;
  const out = pixelArrayFor(dtypeOfArray(pages), pages.length);
  for (let i = 0; i < n; i++) for (let c = 0; c < channels; c++) out[i * channels + c] = pages[c * n + i] as number;
  return out;
}

function dtypeOfArray(a: PixelArray): PixelDType {
  const names: Record<string, PixelDType> = {
    Uint8Array: 'uint8', Uint16Array: 'uint16', Uint32Array: 'uint32', Int8Array: 'int8', Int16Array: 'int16', Int32Array: 'int32', Float32Array: 'float32', Float64Array: 'float64',
  };
  return names[a.constructor.name] as PixelDType;
}

/** Class maps as uint8 (255 unlabelled) while every class fits, else uint16 (65535 unlabelled). */
function labelStack(slice: ProjectSliceData): { width: number; height: number; slices: 1; channels: 1; dtype: 'uint8' | 'uint16'; data: Uint8Array | Uint16Array } {
  let largest = -1;
  for (const k of slice.classes) if (k > largest) largest = k;
  if (largest >= UNLABELLED_UINT16) throw new StudioError('invalid-labels', `${isolate(slice.name)} uses class ${largest}; a project file holds classes 0-65534.`);
  const small = largest < UNLABELLED_UINT8;
  const data = small ? new Uint8Array(slice.classes.length) : new Uint16Array(slice.classes.length);
  const unlabelled = small ? UNLABELLED_UINT8 : UNLABELLED_UINT16;
  for (let i = 0; i < data.length; i++) {
    const k = slice.classes[i] as number;
    data[i] = k === UNLABELLED ? unlabelled : k;
  }
  return { width: slice.width, height: slice.height, slices: 1, channels: 1, dtype: small ? 'uint8' : 'uint16', data };
}

function classesOf(data: PixelArray, dtype: PixelDType, pages: number, where: string): Int32Array {
  if (pages !== 1 || (dtype !== 'uint8' && dtype !== 'uint16')) throw new StudioError('shape-mismatch', `${where} holds ${pages} page(s) of ${dtype}; labels are one page of uint8 or uint16.`);
  const unlabelled = dtype === 'uint8' ? UNLABELLED_UINT8 : UNLABELLED_UINT16;
  const classes = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    classes[i] = v === unlabelled ? UNLABELLED : v;
  }
  return classes;
}

function idsOf(data: PixelArray, pages: number, where: string): Int32Array {
  if (pages !== 1 || !(data instanceof Uint16Array || data instanceof Uint32Array || data instanceof Uint8Array)) {
    throw new StudioError('shape-mismatch', `${where} holds ${pages} page(s) of ${data.constructor.name}; an object map is one page of unsigned integers.`);
  }
  const ids = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (v > 0x7fffffff) throw new StudioError('invalid-labels', `${where} has object id ${v}, past the largest the studio holds (2147483647).`);
    ids[i] = v;
  }
  return ids;
}

/** Quantised probabilities of classes 1..k-1 (interleaved) as uint16 pages, one per class. */
export function probabilityPages(quantised: Uint16Array, numClasses: number): Uint16Array {
  if (numClasses === 2) return quantised;
  const stored = numClasses - 1;
  const n = quantised.length / stored;
  const pages = new Uint16Array(quantised.length);
  for (let c = 0; c < stored; c++) for (let i = 0; i < n; i++) pages[c * n + i] = quantised[i * stored + c] as number;
  return pages;
}

/** Pages back to interleaved quantised probabilities; refuses a pixel whose stored classes add up past 1. */
function quantisedOf(pages: Uint16Array, numClasses: number, where: string): Uint16Array {
  const stored = numClasses - 1;
  const n = pages.length / stored;
  const out = numClasses === 2 ? pages : new Uint16Array(pages.length);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let c = 0; c < stored; c++) {
      const v = pages[c * n + i] as number;
      sum += v;
      out[i * stored + c] = v;
    }
    // Each stored value was rounded: k-1 roundings may add up to (k-1)/2 steps past the scale.
    if (sum > PROBABILITY_SCALE + numClasses) throw new StudioError('invalid-labels', `${where}: at pixel ${i} the class probabilities add up to ${(sum / PROBABILITY_SCALE).toFixed(3)}, more than 1.`);
  }
  return out;
}
