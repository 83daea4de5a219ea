import type { Rgb } from '../../core/image/classColours';
import { classPalette, hexColour, paletteColour, predictionTint } from '../../core/image/classColours';
import type { DataSlice } from '../../store/slices/dataSlice';

type ClassData = Pick<DataSlice['data'], 'classNames' | 'classColours'>;

let last: { names: readonly string[]; colours: readonly (string | null)[]; palette: Rgb[] } | null = null;

/**
 * Every class's colour from the store (the user's, else the default). The same array while names
 * and colours are unchanged: the canvas is handed it on every store change.
 */
export function classPaletteOf(data: ClassData): Rgb[] {
  if (last && last.names === data.classNames && last.colours === data.classColours) return last.palette;
  const palette = classPalette(data.classColours, data.classNames.length);
  last = { names: data.classNames, colours: data.classColours, palette };
  return palette;
}

/** Class k's colour as CSS ('#rrggbb'): swatches and <input type=color>. */
export function classHexOf(data: ClassData, k: number): string {
  return hexColour(paletteColour(classPaletteOf(data), k));
}

/** Class k's prediction colour as CSS (the legend shows it beside the label colour). */
export function predictionHexOf(data: ClassData, k: number): string {
  return hexColour(predictionTint(paletteColour(classPaletteOf(data), k)));
}
