import * as jpeg from 'jpeg-js';
import type { ImageStack } from '../image/imageStack';
import { withDecodeErrors } from './ioErrors';
import { assertSliceFits, MAX_SLICE_PIXELS } from './sliceSizeLimit';

/**
 * Decodes a baseline or progressive JPEG with jpeg-js: the path for Node tests
 * and the fallback where no platform decoder is at hand (the page's faster
 * createImageBitmap path belongs to the UI). Greyscale JPEGs (one component)
 * give 1 channel, others RGB. Like browsers, it shows what it can of a truncated
 * file (jpeg-js's tolerant mode).
 */
export function decodeJpeg(bytes: Uint8Array, fileName = 'The JPEG file', maxSlicePixels: number = MAX_SLICE_PIXELS): ImageStack {
  const frame = jpegFrame(bytes);
  if (frame) assertSliceFits(frame.width, frame.height, fileName, maxSlicePixels); // before jpeg-js allocates anything
  return withDecodeErrors(fileName, 'its JPEG data could not be decoded', () => {
    // jpeg-js's own limits (100 Mpx by default) would refuse big slices the studio takes.
    const { width, height, data: rgb } = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxResolutionInMP: MAX_SLICE_PIXELS / 1e6, maxMemoryUsageInMB: 8192 });
    if (frame?.components !== 1) return { width, height, slices: 1, channels: 3, dtype: 'uint8', data: rgb };
    const grey = new Uint8Array(width * height);
    for (let i = 0; i < grey.length; i++) grey[i] = rgb[i * 3] as number;
    return { width, height, slices: 1, channels: 1, dtype: 'uint8', data: grey };
  });
}

/** Size and component count from the first start-of-frame marker (jpeg-js always returns RGB); null if none is found. */
function jpegFrame(bytes: Uint8Array): { width: number; height: number; components: number } | null {
  let i = 2;
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) return null;
    const marker = bytes[i + 1] as number;
    if (marker === 0xff) { i++; continue; }
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    const at = (k: number) => bytes[i + k] as number;
    if (isFrame) return { height: (at(5) << 8) | at(6), width: (at(7) << 8) | at(8), components: at(9) };
    i += 2 + ((at(2) << 8) | at(3));
  }
  return null;
}
