import type { ImageStack } from '../../image/imageStack';
import type { Rgb } from '../../image/classColours';
import { paletteColour } from '../../image/classColours';

export interface CoverInput {
  /** The normalised test image, [sizePx, sizePx, channels] (about 0..1). */
  readonly image: Float32Array;
  readonly sizePx: number;
  readonly channels: number;
  /** The model's probabilities, [outputPx, outputPx, classes], centred on the image. */
  readonly probabilities: Float32Array;
  readonly outputPx: number;
  readonly classes: number;
  /** Each class's tint, index = class (the studio's class colours); a class past its end takes the default. */
  readonly palette?: readonly Rgb[];
}

const OVERLAY_ALPHA = 0.45;
/** bioimage.io asks for covers under 500 kB: 256 px panels keep an RGB PNG well below. */
const MAX_PANEL_PX = 256;

/**
 * The cover (2:1, as bioimage.io suggests): the test image on the left, the same image with each
 * pixel's most probable class tinted on the right (background, class 0, left clear). A valid net's
 * output is smaller than its input: the tint covers the centre it predicts.
 */
export function renderCover(input: CoverInput): ImageStack {
  const { image, sizePx, channels, probabilities, outputPx, classes, palette = [] } = input;
  const step = Math.ceil(sizePx / MAX_PANEL_PX);
  const panelPx = Math.floor(sizePx / step);
  const width = 2 * panelPx;
  const data = new Uint8Array(width * panelPx * 3);
  const borderPx = (sizePx - outputPx) / 2;
  const toByte = (v: number) => Math.round(255 * Math.min(1, Math.max(0, v)));
  for (let py = 0; py < panelPx; py++) {
    for (let px = 0; px < panelPx; px++) {
      const y = py * step;
      const x = px * step;
      const source = (y * sizePx + x) * channels;
      const rgb = channels === 3
        ? [0, 1, 2].map((c) => toByte(image[source + c] as number))
        : [0, 0, 0].map(() => toByte(image[source] as number));
      const left = (py * width + px) * 3;
      const right = left + panelPx * 3;
      data.set(rgb, left);
      data.set(rgb, right);
      const oy = y - borderPx;
      const ox = x - borderPx;
      if (oy < 0 || ox < 0 || oy >= outputPx || ox >= outputPx) continue;
      const best = mostProbableClass(probabilities, (oy * outputPx + ox) * classes, classes);
      if (best === 0) continue;
      const colour = paletteColour(palette, best);
      for (let c = 0; c < 3; c++) data[right + c] = Math.round((1 - OVERLAY_ALPHA) * (rgb[c] as number) + OVERLAY_ALPHA * (colour[c] as number));
    }
  }
  return { width, height: panelPx, slices: 1, channels: 3, dtype: 'uint8', data };
}

function mostProbableClass(probabilities: Float32Array, offset: number, classes: number): number {
  let best = 0;
  for (let k = 1; k < classes; k++) if ((probabilities[offset + k] as number) > (probabilities[offset + best] as number)) best = k;
  return best;
}
