import { StudioError, invalidConfig } from '../errors';
import type { Raster } from './raster';

/** Throws a StudioError naming `what` unless the raster's sizes are whole, positive and match its data. */
export function assertRaster(raster: Raster, what: string): void {
  const { width, height, channels, data } = raster;
  for (const [name, value] of [['width', width], ['height', height], ['channels', channels]] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw invalidConfig(`The ${what} ${name} must be a whole number of at least 1 (got ${value}).`);
    }
  }
  if (data.length !== width * height * channels) {
    throw new StudioError(
      'shape-mismatch',
      `The ${what} has ${data.length} values, but ${width}x${height} px with ${channels} channel(s) needs ${width * height * channels}.`,
    );
  }
}
