import { UNLABELLED } from '../../core/labels/classMap';
import type { SliceRecord } from '../data/sliceRegistry';

/** Overlay colours per class (RGBA), class 0 first. */
export const CLASS_COLOURS: readonly (readonly [number, number, number])[] = [
  [230, 80, 60], [60, 160, 240], [250, 200, 40], [120, 200, 90], [200, 100, 220],
];

/**
 * Draws a grey slice with its labels blended over it, into an ImageData of the slice's size.
 * Plain function: the canvas component only hosts it and calls it once per animation frame.
 * The contrast window maps [low, high] to 0..255 (16-bit data).
 */
export function renderSlice(slice: SliceRecord, labelOpacity: number, window: { low: number; high: number }): ImageData {
  const out = new ImageData(slice.width, slice.height);
  const scale = 255 / Math.max(window.high - window.low, 1e-9);
  for (let i = 0; i < slice.width * slice.height; i++) {
    const raw = slice.pixels[i * slice.channels] as number;
    let r = Math.max(0, Math.min(255, (raw - window.low) * scale));
    let g = r;
    let b = r;
    const k = slice.classes[i] as number;
    if (k !== UNLABELLED && labelOpacity > 0) {
      const colour = CLASS_COLOURS[k % CLASS_COLOURS.length] as readonly [number, number, number];
      r = r * (1 - labelOpacity) + colour[0] * labelOpacity;
      g = g * (1 - labelOpacity) + colour[1] * labelOpacity;
      b = b * (1 - labelOpacity) + colour[2] * labelOpacity;
    }
    out.data[i * 4] = r;
    out.data[i * 4 + 1] = g;
    out.data[i * 4 + 2] = b;
    out.data[i * 4 + 3] = 255;
  }
  return out;
}

/** The 0.5th..99.5th percentile of the first channel: a sensible window for 8- and 16-bit data. */
export function autoWindow(slice: SliceRecord): { low: number; high: number } {
  const values = new Float32Array(slice.width * slice.height);
  for (let i = 0; i < values.length; i++) values[i] = slice.pixels[i * slice.channels] as number;
  values.sort();
  const at = (p: number) => values[Math.min(values.length - 1, Math.floor(p * (values.length - 1)))] as number;
  return { low: at(0.005), high: at(0.995) };
}
