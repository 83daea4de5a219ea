import { StudioError } from '../errors';

/**
 * The largest slice the studio takes, in pixels: 16384 x 16384, Chromium's canvas area limit (the
 * canvas layers that show a slice cannot be bigger). A slice is held at about 17 bytes per pixel
 * (pixels, labels, three display layers), so this is also about 4.5 GB of memory. Bigger images
 * need a tiled, multi-resolution display that the studio does not have yet.
 */
export const MAX_SLICE_PIXELS = 16384 * 16384;

const megapixels = (pixels: number) => `${Math.round(pixels / 1e6)} Mpx`;

/** Refuses, before any pixel is decoded or allocated, a slice larger than MAX_SLICE_PIXELS. */
export function assertSliceFits(width: number, height: number, fileName: string): void {
  if (width * height <= MAX_SLICE_PIXELS) return;
  throw new StudioError('unsupported-format',
    `${fileName} is ${width}×${height} px (${megapixels(width * height)}); the studio takes slices of up to ${megapixels(MAX_SLICE_PIXELS)} ` +
    `(16384×16384 px) for now. Crop it or scale it down first (in Fiji: Image > Crop, or Image > Scale), or cut it into tiles.`);
}

/** Width and height from a PNG's IHDR chunk (bytes 16-23), or null when the header is not there. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | null {
  if (bytes.length < 24) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
