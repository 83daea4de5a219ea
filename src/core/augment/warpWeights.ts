import { assertRaster } from '../sampling/assertRaster';
import { mirrorIndex } from '../sampling/mirrorIndex';
import { assertFieldFits, type DisplacementField } from './displacementField';
import { foldMirrorCoordinate } from './foldMirrorCoordinate';

/**
 * Warps a weight map by bilinear interpolation with mirror boundaries:
 * scipy.ndimage.map_coordinates(order=1, mode='mirror'). Linear, so weights stay
 * within the range of their neighbours (no cubic overshoot below 0).
 */
export function warpWeights(weights: Float32Array, width: number, height: number, field: DisplacementField): Float32Array {
  assertRaster({ data: weights, width, height, channels: 1 }, 'weight map');
  assertFieldFits(field, width, height);
  const out = new Float32Array(width * height);
  const { dxPx, dyPx } = field;
  let p = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++, p++) {
      let cy = y + dyPx[p]!;
      if (cy < 0 || cy > height - 1) cy = foldMirrorCoordinate(cy, height);
      let cx = x + dxPx[p]!;
      if (cx < 0 || cx > width - 1) cx = foldMirrorCoordinate(cx, width);
      const fy = Math.floor(cy);
      const fx = Math.floor(cx);
      const ty = cy - fy;
      const tx = cx - fx;
      const r0 = fy * width;
      const r1 = (fy + 1 < height ? fy + 1 : mirrorIndex(fy + 1, height)) * width;
      const x1 = fx + 1 < width ? fx + 1 : mirrorIndex(fx + 1, width);
      out[p] =
        (1 - ty) * ((1 - tx) * weights[r0 + fx]! + tx * weights[r0 + x1]!) +
        ty * ((1 - tx) * weights[r1 + fx]! + tx * weights[r1 + x1]!);
    }
  }
  return out;
}
