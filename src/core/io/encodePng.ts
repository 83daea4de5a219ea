import { encode } from 'fast-png';
import { StudioError } from '../errors';
import { sliceOf, type ImageStack } from '../image/imageStack';

/** Writes slice `z` of a uint8 or uint16 stack (grey, RGB or RGBA) as a PNG, values exactly as they are. */
export function encodePng(stack: ImageStack, z = 0): Uint8Array {
  const { width, height, channels, dtype } = stack;
  if ((dtype !== 'uint8' && dtype !== 'uint16') || ![1, 3, 4].includes(channels)) {
    throw new StudioError('unsupported-format', `PNG export writes uint8 or uint16 grey, RGB or RGBA images; this one is ${channels}-channel ${dtype}.`);
  }
  if (!Number.isInteger(z) || z < 0 || z >= stack.slices) {
    throw new StudioError('shape-mismatch', `Cannot write slice ${z} of a ${stack.slices}-slice stack as PNG.`);
  }
  const data = sliceOf(stack, z) as Uint8Array | Uint16Array;
  return encode({ width, height, data, channels, depth: dtype === 'uint8' ? 8 : 16 });
}
