import { UNLABELLED } from '../../core/labels/classMap';
import type { PixelArray } from '../../core/image/imageStack';
import type { Rgb } from '../../core/image/classColours';
import { paletteColour, predictionTint } from '../../core/image/classColours';
import type { SlicePrediction } from '../predict/predictionRegistry';
import { isCovered, predictedClassAt, probabilityAt } from '../predict/predictionRegistry';

/**
 * The canvas's layers as RGBA pixels at image resolution. Plain functions: the canvas controller
 * caches their output in offscreen canvases and only re-runs them when their inputs change
 * (labels: just the rectangle a stroke touched).
 */

export { CLASS_COLOURS, classColour, classPalette } from '../../core/image/classColours';
export type { Rgb } from '../../core/image/classColours';

export interface ContrastWindow { readonly low: number; readonly high: number }

/** A rectangle of a layer to render, in image pixels. */
export interface Region { readonly x: number; readonly y: number; readonly width: number; readonly height: number }

/** Grey image through the contrast window (first channel; colour images are shown as RGB). */
export function renderImageLayer(pixels: PixelArray, width: number, height: number, channels: number, window: ContrastWindow): Uint8ClampedArray<ArrayBuffer> {
  return renderImageRegion(pixels, width, channels, window, { x: 0, y: 0, width, height });
}

/** Output size of `region` rendered one pixel per `step` x `step` block. */
export function regionSize(region: Region, step: number): { width: number; height: number } {
  return { width: Math.ceil(region.width / step), height: Math.ceil(region.height / step) };
}

/**
 * renderImageLayer for one rectangle of a `width`-wide image (a tile of the canvas), one output
 * pixel per `step` x `step` block (a pyramid level): the mean of four samples spread over the
 * block, so a zoomed-out view is not a single pixel's noise.
 */
export function renderImageRegion(pixels: PixelArray, width: number, channels: number, window: ContrastWindow, region: Region, step = 1): Uint8ClampedArray<ArrayBuffer> {
  const size = regionSize(region, step);
  const out = new Uint8ClampedArray(size.width * size.height * 4);
  const scale = 255 / Math.max(window.high - window.low, 1e-9);
  const offsets = step === 1 ? [0] : [Math.floor(step / 4), Math.floor((3 * step) / 4)];
  const xEnd = region.x + region.width - 1;
  const yEnd = region.y + region.height - 1;
  const samples = offsets.length * offsets.length;
  for (let y = 0; y < size.height; y++) {
    for (let x = 0; x < size.width; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const dy of offsets) {
        const row = Math.min(yEnd, region.y + y * step + dy) * width;
        for (const dx of offsets) {
          const i = (row + Math.min(xEnd, region.x + x * step + dx)) * channels;
          const grey = pixels[i] as number;
          r += grey;
          g += channels >= 3 ? (pixels[i + 1] as number) : grey;
          b += channels >= 3 ? (pixels[i + 2] as number) : grey;
        }
      }
      const o = (y * size.width + x) * 4;
      out[o] = (r / samples - window.low) * scale;
      out[o + 1] = (g / samples - window.low) * scale;
      out[o + 2] = (b / samples - window.low) * scale;
      out[o + 3] = 255;
    }
  }
  return out;
}

/** Class colours (`palette`, index = class) where labelled, transparent where not, for one rectangle; one pixel (the block's centre) per `step` x `step` block. */
export function renderLabelRegion(classes: Int32Array, width: number, palette: readonly Rgb[], region: Region, step = 1): Uint8ClampedArray<ArrayBuffer> {
  const size = regionSize(region, step);
  const out = new Uint8ClampedArray(size.width * size.height * 4);
  const centre = Math.floor(step / 2);
  for (let y = 0; y < size.height; y++) {
    const row = Math.min(region.y + region.height - 1, region.y + y * step + centre) * width;
    for (let x = 0; x < size.width; x++) {
      const k = classes[row + Math.min(region.x + region.width - 1, region.x + x * step + centre)] as number;
      if (k === UNLABELLED) continue;
      const o = (y * size.width + x) * 4;
      const [r, g, b] = paletteColour(palette, k);
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
      out[o + 3] = 255;
    }
  }
  return out;
}

/**
 * The 0.5th..99.5th percentile of the first channel, from at most ~256k evenly spaced samples
 * (a full sort of a 2048x2048 slice would block the page for a noticeable moment).
 */
export function autoWindow(pixels: PixelArray, width: number, height: number, channels: number): ContrastWindow {
  const count = width * height;
  const stride = Math.max(1, Math.floor(count / 262_144));
  const values = new Float32Array(Math.ceil(count / stride));
  for (let i = 0, j = 0; i < count; i += stride, j++) values[j] = pixels[i * channels] as number;
  values.sort();
  const at = (p: number) => values[Math.min(values.length - 1, Math.floor(p * (values.length - 1)))] as number;
  const low = at(0.005);
  const high = at(0.995);
  return high > low ? { low, high } : { low, high: low + 1 };
}

export type PredictionView = 'classes' | 'probability' | 'instances';

/** Alpha of a predicted class's inside: faint, so the labels and the image under it still show. */
export const PREDICTION_FILL_ALPHA = 70;
/** The background pixels touching a predicted object (RGBA). */
export const PREDICTION_RIM: readonly [number, number, number, number] = [16, 20, 28, 255];

/**
 * The prediction overlay for one rectangle (a tile of the canvas), one pixel (the block's centre) per
 * `step` x `step` block; pixels no tile has reached yet stay transparent (the overlay fills in tile by tile).
 * Classes are drawn unlike labels (filled in the class colour): an opaque outline and a faint inside,
 * both in the class colour's paler tint (predictionTint), with a dark rim outside, so label and
 * prediction never look alike.
 */
export function renderPredictionRegion(p: SlicePrediction, view: PredictionView, threshold: number, palette: readonly Rgb[], region: Region, step = 1): Uint8ClampedArray<ArrayBuffer> {
  const size = regionSize(region, step);
  const out = new Uint8ClampedArray(size.width * size.height * 4);
  const centre = Math.floor(step / 2);
  for (let y = 0; y < size.height; y++) {
    const row = Math.min(region.y + region.height - 1, region.y + y * step + centre) * p.width;
    for (let x = 0; x < size.width; x++) {
      const i = row + Math.min(region.x + region.width - 1, region.x + x * step + centre);
      const o = (y * size.width + x) * 4;
      if (!isCovered(p, i)) continue;
      if (view === 'probability') {
        const foreground = probabilityAt(p, i, 1);
        // Magenta ramp, alpha rising with the foreground probability.
        out[o] = 255;
        out[o + 1] = 40;
        out[o + 2] = 200;
        out[o + 3] = foreground * 255;
        continue;
      }
      if (view === 'instances') {
        const id = p.instances?.[i] ?? 0;
        if (id === 0) continue;
        // Golden-angle hues: neighbouring ids get clearly different colours.
        const [r, g, b] = hueToRgb((id * 137.508) % 360);
        out[o] = r;
        out[o + 1] = g;
        out[o + 2] = b;
        out[o + 3] = 255;
        continue;
      }
      const best = predictedClassAt(p, i, threshold);
      if (best === 0) {
        // Background stays see-through, so the image shows, except for a dark rim around each object:
        // the pale outline reads on dark images, the rim on light ones.
        if (onClassEdge(p, i, 0, threshold, step)) out.set(PREDICTION_RIM, o);
        continue;
      }
      const [r, g, b] = predictionTint(paletteColour(palette, best));
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
      out[o + 3] = onClassEdge(p, i, best, threshold, step) ? 255 : PREDICTION_FILL_ALPHA;
    }
  }
  return out;
}

/**
 * Whether pixel i's predicted class differs from a neighbour's one `step` away (the sampling grid
 * of this pyramid level, so the outline keeps its width when zoomed out). Neighbours outside the
 * slice or not predicted yet do not count: a tile's edge is no object's edge.
 */
function onClassEdge(p: SlicePrediction, i: number, k: number, threshold: number, step: number): boolean {
  const x = i % p.width;
  const y = (i - x) / p.width;
  const differs = (j: number) => isCovered(p, j) && predictedClassAt(p, j, threshold) !== k;
  return (x >= step && differs(i - step)) || (x + step < p.width && differs(i + step))
    || (y >= step && differs(i - step * p.width)) || (y + step < p.height && differs(i + step * p.width));
}

function hueToRgb(h: number): [number, number, number] {
  const f = (n: number) => {
    const k = (n + h / 60) % 6;
    return 255 * (1 - Math.max(0, Math.min(k, 4 - k, 1)));
  };
  return [f(5), f(3), f(1)];
}
