import { StudioError } from '../errors';

/**
 * A dense displacement field, one vector per pixel, row-major.
 * Warps sample backwards: out(x, y) = in(x + dxPx[i], y + dyPx[i]), i = y * width + x,
 * as scipy.ndimage.map_coordinates does with coordinates (y + dy, x + dx).
 */
export interface DisplacementField {
  readonly width: number;
  readonly height: number;
  readonly dxPx: Float32Array;
  readonly dyPx: Float32Array;
}

export function zeroField(width: number, height: number): DisplacementField {
  return { width, height, dxPx: new Float32Array(width * height), dyPx: new Float32Array(width * height) };
}

/** Throws unless the field has one vector per pixel of a width x height image. */
export function assertFieldFits(field: DisplacementField, width: number, height: number): void {
  if (field.width !== width || field.height !== height) {
    throw new StudioError('size-mismatch', `The displacement field (${field.width}x${field.height} px) does not match the image (${width}x${height} px).`);
  }
  if (field.dxPx.length !== width * height || field.dyPx.length !== width * height) {
    throw new StudioError('shape-mismatch', `The displacement field needs ${width * height} vectors (got ${field.dxPx.length} dx and ${field.dyPx.length} dy).`);
  }
}

/** The sum of two fields: both displacements applied in one resampling (so the image is interpolated once). */
export function addFields(a: DisplacementField, b: DisplacementField): DisplacementField {
  assertFieldFits(b, a.width, a.height);
  const dxPx = new Float32Array(a.dxPx.length);
  const dyPx = new Float32Array(a.dyPx.length);
  for (let i = 0; i < dxPx.length; i++) {
    dxPx[i] = a.dxPx[i]! + b.dxPx[i]!;
    dyPx[i] = a.dyPx[i]! + b.dyPx[i]!;
  }
  return { width: a.width, height: a.height, dxPx, dyPx };
}
