/** An overlay colour as 0..255 red, green, blue. */
export type Rgb = readonly [number, number, number];

/** Default overlay colours per class (RGB), class 0 first: the canvas and exported covers draw classes alike. */
export const CLASS_COLOURS: readonly Rgb[] = [
  [230, 80, 60], [60, 160, 240], [250, 200, 40], [120, 200, 90], [200, 100, 220], [40, 200, 200], [240, 140, 40], [150, 150, 150],
];

/** The default colour of class k (the palette repeats past its end). */
export function classColour(k: number): Rgb {
  return CLASS_COLOURS[k % CLASS_COLOURS.length] as Rgb;
}

/** '#rrggbb' (what <input type=color> reads and writes) as RGB; null for anything else. */
export function parseHexColour(hex: string): Rgb | null {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) return null;
  return [parseInt(match[1] as string, 16), parseInt(match[2] as string, 16), parseInt(match[3] as string, 16)];
}

export function hexColour(rgb: Rgb): string {
  return `#${rgb.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Every class's colour: the user's choice where one is saved (index = class), else the default.
 * `count` classes at least, so a renderer can index any class the labels use.
 */
export function classPalette(chosen: readonly (string | null)[], count: number): Rgb[] {
  return Array.from({ length: Math.max(count, chosen.length) }, (_, k) => parseHexColour(chosen[k] ?? '') ?? classColour(k));
}

/** A palette's colour of class k; classes past its end take the default. */
export function paletteColour(palette: readonly Rgb[], k: number): Rgb {
  return palette[k] ?? classColour(k);
}

/**
 * The prediction's colour for a class colour: the same hue, mixed halfway to white, so a prediction
 * drawn over a label of the same class still stands apart from the label's fill (the two used to be
 * one colour, and agreement was invisible).
 */
export function predictionTint(rgb: Rgb): Rgb {
  return [Math.round((rgb[0] + 255) / 2), Math.round((rgb[1] + 255) / 2), Math.round((rgb[2] + 255) / 2)];
}
