import { invalidConfig } from '../errors';
import { assertRaster } from '../sampling/assertRaster';
import { allocLike, type Raster, type RasterData } from '../sampling/raster';

/**
 * Rotates an image by quarterTurns x 90 degrees counter-clockwise as displayed
 * (y down), exactly: numpy.rot90(image, k=quarterTurns). Odd turns swap width and
 * height. Any integer works (-1 = clockwise); four turns give the image back.
 */
export function rotate90Raster<T extends RasterData>(raster: Raster<T>, quarterTurns: number): Raster<T> {
  assertRaster(raster, 'image');
  if (!Number.isInteger(quarterTurns)) throw invalidConfig(`Quarter turns must be a whole number (got ${quarterTurns}).`);
  const k = ((quarterTurns % 4) + 4) % 4;
  const { data, width, height, channels } = raster;
  const outWidth = k % 2 === 1 ? height : width;
  const outHeight = k % 2 === 1 ? width : height;
  const out = allocLike(data, data.length);
  // Source pixel index = base + stepX * x + stepY * y for output pixel (x, y).
  const steps: readonly (readonly [number, number, number])[] = [
    [0, 1, width],
    [width - 1, width, -1],
    [height * width - 1, -1, -width],
    [(height - 1) * width, -width, 1],
  ];
  const [base, stepX, stepY] = steps[k]!;
  let o = 0;
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      const s = (base + stepX * x + stepY * y) * channels;
      for (let c = 0; c < channels; c++) out[o++] = data[s + c]!;
    }
  }
  return { data: out, width: outWidth, height: outHeight, channels };
}
