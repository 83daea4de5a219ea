import { UNLABELLED } from '../../core/labels/classMap';
import type { PixelArray } from '../../core/image/imageStack';
import type { SlicePrediction } from '../predict/predictionRegistry';
import { predictedClassAt } from '../predict/predictionRegistry';

/**
 * The canvas's layers as RGBA pixels at image resolution. Plain functions: the canvas controller
 * caches their output in offscreen canvases and only re-runs them when their inputs change
 * (labels: just the rectangle a stroke touched).
 */

/** Overlay colours per class (RGB), class 0 first. */
export const CLASS_COLOURS: readonly (readonly [number, number, number])[] = [
  [230, 80, 60], [60, 160, 240], [250, 200, 40], [120, 200, 90], [200, 100, 220], [40, 200, 200], [240, 140, 40], [150, 150, 150],
];

export function classColour(k: number): readonly [number, number, number] {
  return CLASS_COLOURS[k % CLASS_COLOURS.length] as readonly [number, number, number];
}

export interface ContrastWindow { readonly low: number; readonly high: number }

/** Grey image through the contrast window (first channel; colour images are shown as RGB). */
export function renderImageLayer(pixels: PixelArray, width: number, height: number, channels: number, window: ContrastWindow): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(width * height * 4);
  const scale = 255 / Math.max(window.high - window.low, 1e-9);
  for (let i = 0; i < width * height; i++) {
    const r = ((pixels[i * channels] as number) - window.low) * scale;
    out[i * 4] = r;
    out[i * 4 + 1] = channels >= 3 ? ((pixels[i * channels + 1] as number) - window.low) * scale : r;
    out[i * 4 + 2] = channels >= 3 ? ((pixels[i * channels + 2] as number) - window.low) * scale : r;
    out[i * 4 + 3] = 255;
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

/** Class colours where labelled, transparent where not; only the rectangle [x0,x1)x[y0,y1) is written. */
export function renderLabelRect(classes: Int32Array, width: number, out: Uint8ClampedArray, x0: number, y0: number, x1: number, y1: number): void {
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = y * width + x;
      const k = classes[i] as number;
      if (k === UNLABELLED) {
        out[i * 4 + 3] = 0;
        continue;
      }
      const [r, g, b] = classColour(k);
      out[i * 4] = r;
      out[i * 4 + 1] = g;
      out[i * 4 + 2] = b;
      out[i * 4 + 3] = 255;
    }
  }
}

export type PredictionView = 'classes' | 'probability' | 'instances';

/** The prediction overlay; pixels no tile has reached yet stay transparent (the overlay fills in tile by tile). */
export function renderPredictionLayer(p: SlicePrediction, view: PredictionView, threshold: number): Uint8ClampedArray<ArrayBuffer> {
  const n = p.width * p.height;
  const out = new Uint8ClampedArray(n * 4);
  const k = p.numClasses;
  for (let i = 0; i < n; i++) {
    if (!p.covered[i]) continue;
    const foreground = p.probabilities[i * k + 1] as number;
    if (view === 'probability') {
      // Magenta ramp, alpha rising with the foreground probability.
      out[i * 4] = 255;
      out[i * 4 + 1] = 40;
      out[i * 4 + 2] = 200;
      out[i * 4 + 3] = foreground * 255;
      continue;
    }
    if (view === 'instances') {
      const id = p.instances?.[i] ?? 0;
      if (id === 0) continue;
      // Golden-angle hues: neighbouring ids get clearly different colours.
      const [r, g, b] = hueToRgb((id * 137.508) % 360);
      out[i * 4] = r;
      out[i * 4 + 1] = g;
      out[i * 4 + 2] = b;
      out[i * 4 + 3] = 255;
      continue;
    }
    const best = predictedClassAt(p, i, threshold);
    if (best === 0) continue; // background stays see-through, so the image shows
    const [r, g, b] = classColour(best);
    out[i * 4] = r;
    out[i * 4 + 1] = g;
    out[i * 4 + 2] = b;
    out[i * 4 + 3] = 255;
  }
  return out;
}

function hueToRgb(h: number): [number, number, number] {
  const f = (n: number) => {
    const k = (n + h / 60) % 6;
    return 255 * (1 - Math.max(0, Math.min(k, 4 - k, 1)));
  };
  return [f(5), f(3), f(1)];
}
