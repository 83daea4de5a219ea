import { invalidConfig } from '../errors';
import type { DisplacementField } from './displacementField';

/**
 * The field that rotates an image by angleDeg about its centre ((W-1)/2, (H-1)/2),
 * counter-clockwise as displayed (y down), the same sense as `rotate90Raster`:
 * a square image rotated by 90 here equals one exact quarter turn. Corners that
 * come from outside the image are filled by the warp's mirroring.
 */
export function rotationField(width: number, height: number, angleDeg: number): DisplacementField {
  if (!Number.isFinite(angleDeg)) throw invalidConfig(`A rotation angle must be a finite number of degrees (got ${angleDeg}).`);
  const cos = Math.cos((angleDeg * Math.PI) / 180);
  const sin = Math.sin((angleDeg * Math.PI) / 180);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const dxPx = new Float32Array(width * height);
  const dyPx = new Float32Array(width * height);
  let p = 0;
  for (let y = 0; y < height; y++) {
    const v = y - cy;
    for (let x = 0; x < width; x++, p++) {
      const u = x - cx;
      // Output pixel (u, v) samples the input at R(angle) (u, v).
      dxPx[p] = cos * u - sin * v - u;
      dyPx[p] = sin * u + cos * v - v;
    }
  }
  return { width, height, dxPx, dyPx };
}
