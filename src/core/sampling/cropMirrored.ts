import { invalidConfig } from '../errors';
import { assertRaster } from './assertRaster';
import { mirrorIndex } from './mirrorIndex';
import { allocLike, type Raster, type RasterData } from './raster';

/** A window in image pixel coordinates; it may reach past the image on any side. */
export interface WindowPx {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * Copies a window of the image extended by mirroring (no edge repeat, see
 * `mirrorIndex`), so windows past the border, or far larger than the image,
 * get mirrored context. The building block of tile sampling and tiled prediction.
 */
export function cropMirrored<T extends RasterData>(raster: Raster<T>, window: WindowPx): Raster<T> {
  assertRaster(raster, 'image');
  const { x, y, width, height } = window;
  if (![x, y, width, height].every(Number.isInteger) || width < 1 || height < 1) {
    throw invalidConfig(`A crop window needs whole-pixel position and a size of at least 1x1 (got ${width}x${height} at ${x},${y}).`);
  }
  const { data, channels } = raster;
  const out = allocLike(data, width * height * channels);
  // Source offset of each output column, computed once instead of per row.
  const columnOffsets = new Int32Array(width);
  for (let i = 0; i < width; i++) columnOffsets[i] = mirrorIndex(x + i, raster.width) * channels;
  const rowStride = raster.width * channels;
  let o = 0;
  for (let j = 0; j < height; j++) {
    const rowStart = mirrorIndex(y + j, raster.height) * rowStride;
    if (channels === 1) {
      for (let i = 0; i < width; i++) out[o++] = data[rowStart + columnOffsets[i]!]!;
    } else {
      for (let i = 0; i < width; i++) {
        const s = rowStart + columnOffsets[i]!;
        for (let c = 0; c < channels; c++) out[o++] = data[s + c]!;
      }
    }
  }
  return { data: out, width, height, channels };
}
