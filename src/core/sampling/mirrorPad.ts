import { invalidConfig } from '../errors';
import { cropMirrored } from './cropMirrored';
import type { Raster, RasterData } from './raster';

export interface PaddingPx {
  readonly top: number;
  readonly bottom: number;
  readonly left: number;
  readonly right: number;
}

/**
 * Pads an image by mirroring (numpy.pad mode='reflect': the edge pixel is not
 * repeated). Any amount works, also more than the image size: the mirroring repeats.
 * Pass a number to pad all four sides equally.
 */
export function mirrorPad<T extends RasterData>(raster: Raster<T>, padding: PaddingPx | number): Raster<T> {
  const p = typeof padding === 'number' ? { top: padding, bottom: padding, left: padding, right: padding } : padding;
  if (![p.top, p.bottom, p.left, p.right].every((v) => Number.isInteger(v) && v >= 0)) {
    throw invalidConfig(`Mirror padding must be whole, non-negative pixel counts (got top ${p.top}, bottom ${p.bottom}, left ${p.left}, right ${p.right}).`);
  }
  return cropMirrored(raster, {
    x: -p.left,
    y: -p.top,
    width: raster.width + p.left + p.right,
    height: raster.height + p.top + p.bottom,
  });
}
