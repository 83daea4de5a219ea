import type { AugmentationParams } from '../../core/augment/augmentationParams';
import type { ControlGrid } from '../../core/augment/controlGrid';
import type { DisplacementField } from '../../core/augment/displacementField';
import { elasticDeform } from '../../core/augment/elasticDeform';
import type { ElasticParams } from '../../core/augment/elasticParams';
import { randomAugmentation } from '../../core/augment/randomAugmentation';
import { upsampleControlGrid } from '../../core/augment/upsampleControlGrid';
import { DEFAULT_NORMALISATION, normaliseImage } from '../../core/image/normaliseImage';
import { UNLABELLED } from '../../core/labels/classMap';
import type { Rgb } from '../canvas/layers';
import { renderImageLayer } from '../canvas/layers';
import { paletteColour } from '../../core/image/classColours';
import type { SliceRecord } from '../data/sliceRegistry';
import type { SliceWeightMap } from './weightMapImage';
import { weightMapForSlice, weightMapToImage } from './weightMapImage';

/** Largest side of the previewed region: a 512x512 warp takes tens of milliseconds. */
export const PREVIEW_MAX_SIDE_PX = 512;

export interface CropRect { readonly x: number; readonly y: number; readonly width: number; readonly height: number }

/** The centred region of at most maxSidePx x maxSidePx that the preview warps. */
export function centredCrop(width: number, height: number, maxSidePx = PREVIEW_MAX_SIDE_PX): CropRect {
  const w = Math.min(width, maxSidePx);
  const h = Math.min(height, maxSidePx);
  return { x: Math.floor((width - w) / 2), y: Math.floor((height - h) / 2), width: w, height: h };
}

export interface ElasticPreview {
  readonly params: ElasticParams;
  readonly seed: number;
  readonly crop: CropRect;
  readonly controlGrid: ControlGrid;
  /** Warped, normalised image (crop size, the slice's channels). */
  readonly image: Float32Array;
  /** Warped classes, nearest neighbour: only values of the input's class set. */
  readonly labels: Int32Array;
  /** Warped weight map (bilinear; 0 where the warped label is unlabelled). */
  readonly weights: Float32Array;
  readonly imageRgba: Uint8ClampedArray<ArrayBuffer>;
  /** Class colours blended over the warped image; unlabelled pixels show the image. */
  readonly labelsRgba: Uint8ClampedArray<ArrayBuffer>;
  /** Heat map on the same scale as the unwarped weight map. */
  readonly weightsRgba: Uint8ClampedArray<ArrayBuffer>;
  /** Per pixel: 0 none, 1 minor grid line, 2 control-grid line, 3 control point (see gridMask). */
  readonly gridMask: Uint8Array;
  /** Largest displacement over the crop, in pixels. */
  readonly maxDisplacementPx: number;
}

/** Only the paper's elastic warp: no flips, turns, rotation or grey-value change, so the user sees the warp alone. */
function elasticOnly(elastic: ElasticParams): AugmentationParams {
  return { flips: false, quarterTurns: false, maxRotationDeg: 0, elastic, maxBrightnessShift: 0, maxContrastChange: 0, maxGammaChange: 0 };
}

const LABEL_OPACITY = 0.5;

/**
 * The elastic deformation that training would draw with this seed (randomAugmentation draws the
 * same control grid whatever else is switched on), applied to the centred crop of the slice:
 * image by cubic spline, labels by nearest neighbour, weights bilinearly, as in training.
 * `weightMap` is the whole slice's map (computed here when not given), cut to the crop, so the
 * border terms near the crop's edge are right.
 */
export function elasticPreview(
  record: SliceRecord, elastic: ElasticParams, seed: number, weightMap: SliceWeightMap = weightMapForSlice(record), palette: readonly Rgb[] = [],
): ElasticPreview {
  if (weightMap.weights.length !== record.width * record.height || weightMap.classes.length !== record.width * record.height) {
    throw new Error(`The weight map (${weightMap.weights.length} values) does not belong to slice "${record.name}" (${record.width}x${record.height} px).`);
  }
  const crop = centredCrop(record.width, record.height);
  const { channels } = record;
  const plan = randomAugmentation(elasticOnly(elastic), seed);
  const controlGrid = plan.elasticGrid as ControlGrid;
  const field = upsampleControlGrid(controlGrid, crop.width, crop.height);
  const n = crop.width * crop.height;
  const sample = {
    width: crop.width,
    height: crop.height,
    channels,
    // Normalised over the crop: the same percentile mapping the engine applies, to a region that fits the preview.
    image: normaliseImage(cropInto(record.pixels, record.width, channels, crop, new Float32Array(n * channels)), channels, DEFAULT_NORMALISATION),
    labels: cropInto(weightMap.classes, record.width, 1, crop, new Int32Array(n)),
    weights: cropInto(weightMap.weights, record.width, 1, crop, new Float32Array(n)),
  };
  const warped = elasticDeform(sample, field);
  const imageRgba = renderImageLayer(warped.image, crop.width, crop.height, channels, { low: 0, high: 1 });
  return {
    params: elastic,
    seed,
    crop,
    controlGrid,
    image: warped.image,
    labels: warped.labels,
    weights: warped.weights,
    imageRgba,
    labelsRgba: blendLabels(imageRgba, warped.labels, palette),
    weightsRgba: weightMapToImage(warped.weights, crop.width, crop.height, weightMap.max, weightMap.min),
    gridMask: gridMask(field, controlGrid.gridSize),
    maxDisplacementPx: maxDisplacement(field),
  };
}

/** The crop's values, row by row, into `out` (crop.width * crop.height * channels long). */
function cropInto<T extends Float32Array | Int32Array>(data: ArrayLike<number>, width: number, channels: number, crop: CropRect, out: T): T {
  for (let y = 0; y < crop.height; y++) {
    const src = ((crop.y + y) * width + crop.x) * channels;
    const dst = y * crop.width * channels;
    for (let i = 0; i < crop.width * channels; i++) out[dst + i] = data[src + i] as number;
  }
  return out;
}

/** The labels over the image in the classes' colours (`palette`, the canvas's; a class past its end takes the default). */
function blendLabels(imageRgba: Uint8ClampedArray, labels: Int32Array, palette: readonly Rgb[]): Uint8ClampedArray<ArrayBuffer> {
  const out = Uint8ClampedArray.from(imageRgba);
  for (let p = 0; p < labels.length; p++) {
    const k = labels[p] as number;
    if (k === UNLABELLED) continue;
    const colour = paletteColour(palette, k);
    for (let c = 0; c < 3; c++) out[p * 4 + c] = (out[p * 4 + c] as number) * (1 - LABEL_OPACITY) + (colour[c] as number) * LABEL_OPACITY;
  }
  return out;
}

/**
 * Where the lines of the undeformed control grid (and 3 minor lines per cell) land after the
 * warp. The warp samples backwards, out(p) = in(p + d(p)), so output pixel p lies on a grid line
 * when its source p + d(p) does: exact for any smooth field, one pass, no inversion.
 */
function gridMask(field: DisplacementField, gridSize: number): Uint8Array {
  const { width, height, dxPx, dyPx } = field;
  const mask = new Uint8Array(width * height);
  if (width < 2 || height < 2) return mask;
  const spacingX = (width - 1) / (gridSize - 1);
  const spacingY = (height - 1) / (gridSize - 1);
  const minorX = spacingX / 4;
  const minorY = spacingY / 4;
  for (let y = 0, p = 0; y < height; y++) {
    for (let x = 0; x < width; x++, p++) {
      const sx = x + (dxPx[p] as number);
      const sy = y + (dyPx[p] as number);
      if (sx < -0.5 || sx > width - 0.5 || sy < -0.5 || sy > height - 0.5) continue;
      const offX = Math.abs(sx - Math.round(sx / spacingX) * spacingX);
      const offY = Math.abs(sy - Math.round(sy / spacingY) * spacingY);
      if (offX < 2.5 && offY < 2.5) mask[p] = 3;
      else if (offX <= 0.5 || offY <= 0.5) mask[p] = 2;
      else if (Math.abs(sx - Math.round(sx / minorX) * minorX) <= 0.5 || Math.abs(sy - Math.round(sy / minorY) * minorY) <= 0.5) mask[p] = 1;
    }
  }
  return mask;
}

const GRID_COLOURS: readonly (readonly [number, number, number, number])[] = [
  [0, 0, 0, 0], [255, 255, 255, 0.5], [80, 220, 255, 0.85], [255, 230, 60, 1],
];

/** The image with the deformed grid drawn over it (a new array). */
export function withGrid(rgba: Uint8ClampedArray, mask: Uint8Array): Uint8ClampedArray<ArrayBuffer> {
  const out = Uint8ClampedArray.from(rgba);
  for (let p = 0; p < mask.length; p++) {
    const m = mask[p] as number;
    if (m === 0) continue;
    const [r, g, b, a] = GRID_COLOURS[m] as readonly [number, number, number, number];
    out[p * 4] = (out[p * 4] as number) * (1 - a) + r * a;
    out[p * 4 + 1] = (out[p * 4 + 1] as number) * (1 - a) + g * a;
    out[p * 4 + 2] = (out[p * 4 + 2] as number) * (1 - a) + b * a;
  }
  return out;
}

function maxDisplacement(field: DisplacementField): number {
  let maxSq = 0;
  for (let i = 0; i < field.dxPx.length; i++) {
    const sq = (field.dxPx[i] as number) ** 2 + (field.dyPx[i] as number) ** 2;
    if (sq > maxSq) maxSq = sq;
  }
  return Math.sqrt(maxSq);
}

/** The preview's bounds on the controls: the paper's 3x3 grid and 10 px lie well inside. */
export const ELASTIC_LIMITS = { gridSize: { min: 2, max: 10 }, sigmaPx: { min: 0, max: 40 } } as const;

export interface ElasticControls { readonly gridSize: number; readonly sigmaPx: number; readonly seed: number }

/**
 * Checks a change to the controls: out-of-range numbers are clamped into range, values that are
 * not numbers at all are refused (the current value is kept). Returns the values to store and one
 * message per value that was changed or refused, naming the control.
 */
export function clampElasticControls(current: ElasticControls, patch: Partial<ElasticControls>): { readonly next: ElasticControls; readonly messages: readonly string[] } {
  const messages: string[] = [];
  const { gridSize: gridLimits, sigmaPx: sigmaLimits } = ELASTIC_LIMITS;
  let { gridSize, sigmaPx, seed } = current;
  if (patch.gridSize !== undefined) {
    const value = patch.gridSize;
    const range = `a whole number from ${gridLimits.min} to ${gridLimits.max}`;
    if (!Number.isFinite(value)) messages.push(`Grid points must be ${range} (got ${describe(value)}); kept ${gridSize}.`);
    else {
      gridSize = Math.min(gridLimits.max, Math.max(gridLimits.min, Math.round(value)));
      if (gridSize !== value) messages.push(`Grid points must be ${range} (got ${value}); using ${gridSize}.`);
    }
  }
  if (patch.sigmaPx !== undefined) {
    const value = patch.sigmaPx;
    const range = `from ${sigmaLimits.min} to ${sigmaLimits.max} px`;
    if (!Number.isFinite(value)) messages.push(`Displacement sigma must be a number ${range} (got ${describe(value)}); kept ${sigmaPx} px.`);
    else {
      sigmaPx = Math.min(sigmaLimits.max, Math.max(sigmaLimits.min, value));
      if (sigmaPx !== value) messages.push(`Displacement sigma must be ${range} (got ${value} px); using ${sigmaPx} px.`);
    }
  }
  if (patch.seed !== undefined) {
    if (!Number.isFinite(patch.seed)) messages.push(`The sample seed must be a whole number (got ${describe(patch.seed)}); kept ${seed}.`);
    else seed = Math.trunc(patch.seed) >>> 0;
  }
  return { next: { gridSize, sigmaPx, seed }, messages };
}

function describe(value: number): string {
  return Number.isNaN(value) ? 'not a number' : String(value);
}
