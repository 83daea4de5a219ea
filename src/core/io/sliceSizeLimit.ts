import { StudioError } from '../errors';

/**
 * What the studio holds per pixel of a slice at its peak, in bytes: measured with one 20000 x 20000
 * 8-bit slice in Chromium (`npm run bench:large-image`: pixels, labels, the engine's normalised copy,
 * prediction probabilities, autosave), 10.5 GiB over all its processes while predicting, ~28 B/px.
 */
export const PEAK_BYTES_PER_PIXEL = 28;

/**
 * The largest slice the studio takes on any machine: 2^29 pixels (about 23170 x 23170; 20000 x 20000
 * fits), ~15 GB at the measured peak. The canvas shows a slice through a tile pyramid, so Chromium's
 * canvas limit (268 Mpx) no longer bounds it; memory does.
 */
export const MAX_SLICE_PIXELS = 2 ** 29;

/**
 * The slice limit on a device with `deviceMemoryGiB` of memory (navigator.deviceMemory: 0.25 to 8,
 * and browsers report 8 for anything above, so only a smaller value lowers the limit): the slices
 * whose peak fits in three quarters of it.
 */
export function sliceLimitPixels(deviceMemoryGiB?: number): number {
  if (deviceMemoryGiB === undefined || !(deviceMemoryGiB > 0) || deviceMemoryGiB >= 8) return MAX_SLICE_PIXELS;
  return Math.min(MAX_SLICE_PIXELS, Math.floor((deviceMemoryGiB * 2 ** 30 * 0.75) / PEAK_BYTES_PER_PIXEL));
}

const megapixels = (pixels: number) => `${Math.round(pixels / 1e6)} Mpx`;

/** Refuses, before any pixel is decoded or allocated, a slice larger than `limitPixels`. */
export function assertSliceFits(width: number, height: number, fileName: string, limitPixels: number = MAX_SLICE_PIXELS): void {
  if (width * height <= limitPixels) return;
  const side = Math.floor(Math.sqrt(limitPixels));
  const why = limitPixels < MAX_SLICE_PIXELS
    ? `on this device (its browser reports ${Math.round((limitPixels * PEAK_BYTES_PER_PIXEL) / 0.75 / 2 ** 30 * 4) / 4} GB of memory; a slice needs about ${PEAK_BYTES_PER_PIXEL} bytes a pixel)`
    : `(a slice needs about ${PEAK_BYTES_PER_PIXEL} bytes of memory a pixel)`;
  throw new StudioError('unsupported-format',
    `${fileName} is ${width}×${height} px (${megapixels(width * height)}); the studio takes slices of up to ${megapixels(limitPixels)} ` +
    `(about ${side}×${side} px) ${why}. Crop it or scale it down first (in Fiji: Image > Crop, or Image > Scale), or cut it into tiles.`);
}

/** Width and height from a PNG's IHDR chunk (bytes 16-23), or null when the header is not there. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | null {
  if (bytes.length < 24) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
