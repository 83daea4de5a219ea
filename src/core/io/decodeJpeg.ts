import * as jpeg from 'jpeg-js';
import type { ImageStack } from '../image/imageStack';
import { withDecodeErrors } from './ioErrors';

/**
 * Decodes a baseline or progressive JPEG with jpeg-js: the path for Node tests
 * and the fallback where no platform decoder is at hand (the page's faster
 * createImageBitmap path belongs to the UI). Greyscale JPEGs (one component)
 * give 1 channel, others RGB. Like browsers, it shows what it can of a truncated
 * file (jpeg-js's tolerant mode).
 */
export function decodeJpeg(bytes: Uint8Array, fileName = 'The JPEG file'): ImageStack {
  return withDecodeErrors(fileName, 'its JPEG data could not be decoded', () => {
    const { width, height, data: rgb } = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false });
    if (jpegComponents(bytes) !== 1) return { width, height, slices: 1, channels: 3, dtype: 'uint8', data: rgb };
    const grey = new Uint8Array(width * height);
    for (let i = 0; i < grey.length; i++) grey[i] = rgb[i * 3] as number;
    return { width, height, slices: 1, channels: 1, dtype: 'uint8', data: grey };
  });
}

/** The component count from the first start-of-frame marker (jpeg-js always returns RGB). */
function jpegComponents(bytes: Uint8Array): number {
  let i = 2;
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) return 0;
    const marker = bytes[i + 1] as number;
    if (marker === 0xff) { i++; continue; }
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) return bytes[i + 9] as number;
    i += 2 + (((bytes[i + 2] as number) << 8) | (bytes[i + 3] as number));
  }
  return 0;
}
