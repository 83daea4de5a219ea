import { assertRaster } from '../sampling/assertRaster';
import { allocLike, type Raster, type RasterData } from '../sampling/raster';

/** Mirrors an image exactly: axis 'x' swaps left and right, 'y' top and bottom. Its own inverse. */
export function flipRaster<T extends RasterData>(raster: Raster<T>, axis: 'x' | 'y'): Raster<T> {
  assertRaster(raster, 'image');
  const { data, width, height, channels } = raster;
  const out = allocLike(data, data.length);
  const rowLength = width * channels;
  for (let y = 0; y < height; y++) {
    const dstRow = y * rowLength;
    const srcRow = (axis === 'y' ? height - 1 - y : y) * rowLength;
    if (axis === 'y') {
      out.set(data.subarray(srcRow, srcRow + rowLength), dstRow);
      continue;
    }
    for (let x = 0; x < width; x++) {
      const s = srcRow + (width - 1 - x) * channels;
      for (let c = 0; c < channels; c++) out[dstRow + x * channels + c] = data[s + c]!;
    }
  }
  return { data: out, width, height, channels };
}
