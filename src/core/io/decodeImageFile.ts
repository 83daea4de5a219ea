import { StudioError } from '../errors';
import type { ImageStack } from '../image/imageStack';
import { decodeJpeg } from './decodeJpeg';
import { decodePng } from './decodePng';
import { decodeTiff } from './decodeTiff';
import { damaged } from './ioErrors';
import { MAX_SLICE_PIXELS } from './sliceSizeLimit';
import { sniffImageFormat } from './sniffImageFormat';

const SUPPORTED = 'The studio reads TIFF (.tif, .tiff: single images and stacks), PNG and JPEG files.';

/**
 * Decodes an image file by what its bytes say it is, whatever its name. Every
 * failure is a StudioError naming the file: 'decode-failed' for empty, truncated
 * or corrupt files, 'unsupported-format' for other formats or TIFF variants we do
 * not read, 'size-mismatch' for stacks whose pages differ in size. A slice over `maxSlicePixels`
 * (sliceLimitPixels: what the device can hold) is refused from the header, before any allocation.
 */
export function decodeImageFile(name: string, bytes: Uint8Array, maxSlicePixels: number = MAX_SLICE_PIXELS): ImageStack {
  if (bytes.length === 0) throw new StudioError('decode-failed', `${name} is empty (0 bytes). It may not have been copied or saved completely.`);
  const sniffed = sniffImageFormat(bytes);
  switch (sniffed.format) {
    case 'tiff':
    case 'png':
    case 'jpeg': {
      if (sniffed.truncated) throw damaged(name, `it is only ${bytes.length} bytes long, which ends inside the ${sniffed.format.toUpperCase()} header`);
      if (sniffed.format === 'tiff') return decodeTiff(bytes, name, maxSlicePixels);
      return sniffed.format === 'png' ? decodePng(bytes, name, maxSlicePixels) : decodeJpeg(bytes, name, maxSlicePixels);
    }
    case 'other':
      throw new StudioError('unsupported-format', `${name} is a ${sniffed.name} file, which the studio cannot read. ${SUPPORTED} In Fiji, File > Save As > Tiff... converts most formats.`);
    case 'unknown':
      throw new StudioError('unsupported-format', `${name} is not an image file the studio recognises (its first bytes match no TIFF, PNG or JPEG). ${SUPPORTED}`);
    default: {
      const unreachable: never = sniffed;
      throw new Error(`Unhandled format ${String(unreachable)}`);
    }
  }
}
