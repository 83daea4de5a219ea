import { assertRaster } from '../sampling/assertRaster';
import { mirrorIndex } from '../sampling/mirrorIndex';
import { assertFieldFits, type DisplacementField } from './displacementField';
import { foldMirrorCoordinate } from './foldMirrorCoordinate';

/**
 * Warps a label map by nearest neighbour with mirror boundaries, so classes are
 * never blended: scipy.ndimage.map_coordinates(order=0, mode='mirror'), including
 * its rounding (fold into the image first, then floor(c + 0.5): ties go up).
 */
export function warpLabels(labels: Int32Array, width: number, height: number, field: DisplacementField): Int32Array {
  assertRaster({ data: labels, width, height, channels: 1 }, 'label map');
  assertFieldFits(field, width, height);
  const out = new Int32Array(width * height);
  const { dxPx, dyPx } = field;
  let p = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++, p++) {
      let cy = y + dyPx[p]!;
      if (cy < 0 || cy > height - 1) cy = foldMirrorCoordinate(cy, height);
      let cx = x + dxPx[p]!;
      if (cx < 0 || cx > width - 1) cx = foldMirrorCoordinate(cx, width);
      let iy = Math.floor(cy + 0.5);
      if (iy >= height) iy = mirrorIndex(iy, height); // a coordinate in (n - 1, n - 0.5] rounds past the edge
      let ix = Math.floor(cx + 0.5);
      if (ix >= width) ix = mirrorIndex(ix, width);
      out[p] = labels[iy * width + ix]!;
    }
  }
  return out;
}
