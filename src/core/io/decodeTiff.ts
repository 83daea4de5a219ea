import { StudioError } from '../errors';
import { pixelArrayFor, type ImageStack } from '../image/imageStack';
import { damaged, unsupported, withDecodeErrors } from './ioErrors';
import { assertSliceFits, MAX_SLICE_PIXELS } from './sliceSizeLimit';
import { describePage, type TiffPage } from './tiff/describePage';
import { readIfds } from './tiff/readIfds';
import { readPage } from './tiff/readPage';
import { Compression } from './tiff/tiffTags';

/** Typed arrays past 2 GiB fail in some browsers; refuse with a message rather than crash. */
const MAX_STACK_BYTES = 2 ** 31 - 1;
/** No codec we read expands data more than this (Deflate: ~1032x, LZW: ~2700x at best). */
const MAX_EXPANSION = 4096;

/**
 * Decodes a TIFF (classic or BigTIFF, either byte order) into a stack, one slice
 * per page: 8/16/32-bit integers (signed or not), 32/64-bit floats, 1-bit masks
 * (as uint8 0/1); uncompressed, LZW, Deflate (codes 8 and 32946) or PackBits, with
 * either predictor; strips or tiles, interleaved or planar samples.
 *
 * Channels: grey and palette pages give 1 (palette pages give their indices, as
 * tifffile and Fiji do: label maps are often saved with a colour table), RGB
 * gives 3, RGB with an alpha sample 4; any other extra samples are dropped.
 * Values are as stored: min-is-white pages are not inverted. Thumbnails and
 * pyramid levels (NewSubfileType) are skipped. Pages must all share one size,
 * pixel type and channel count.
 */
export function decodeTiff(bytes: Uint8Array, fileName = 'The TIFF file', maxSlicePixels: number = MAX_SLICE_PIXELS): ImageStack {
  return withDecodeErrors(fileName, 'its TIFF structure could not be read', () => {
    const { littleEndian, ifds } = readIfds(bytes, fileName);
    const described = ifds.map((ifd, i) => ({ number: i + 1, page: describePage(ifd, i + 1, fileName) }));
    const primary = described.filter(({ page }) => !page.auxiliary);
    const pages = primary.length > 0 ? primary : described;
    const { number: firstNumber, page: first } = pages[0] as { number: number; page: TiffPage };
    for (const { number, page } of pages) checkSamePage(first, firstNumber, page, number, fileName);

    const { width, height, channels, dtype } = first;
    const sliceLength = width * height * channels;
    const bytesPerElement = Math.max(1, first.bitsPerSample / 8);
    const totalBytes = sliceLength * pages.length * bytesPerElement;
    if (totalBytes > MAX_STACK_BYTES) {
      throw unsupported(fileName, `holds ${(totalBytes / 2 ** 30).toFixed(1)} GiB of pixels; the studio loads images of up to 2 GiB`);
    }
    assertSliceFits(width, height, fileName, maxSlicePixels);
    for (const { number, page } of pages) checkPageFits(page, number, bytes.length, fileName);
    const stack = pixelArrayFor(dtype, sliceLength * pages.length);
    const out = new Uint8Array(stack.buffer, stack.byteOffset, stack.byteLength);
    pages.forEach(({ number, page }, z) => {
      const sliceBytes = sliceLength * bytesPerElement;
      readPage(bytes, littleEndian, page, number, out.subarray(z * sliceBytes, (z + 1) * sliceBytes), fileName);
    });
    return { width, height, slices: pages.length, channels, dtype, data: stack };
  });
}

function checkSamePage(first: TiffPage, firstNumber: number, page: TiffPage, number: number, fileName: string): void {
  if (page.width !== first.width || page.height !== first.height) {
    throw new StudioError('size-mismatch', `${fileName}: page ${number} is ${page.width}x${page.height} pixels but page ${firstNumber} is ` +
      `${first.width}x${first.height}; all pages of a stack must have the same size.`);
  }
  if (page.dtype !== first.dtype || page.channels !== first.channels) {
    throw unsupported(fileName, `mixes pixel types: page ${number} is ${page.channels}-channel ${page.dtype} but page ${firstNumber} is ` +
      `${first.channels}-channel ${first.dtype}; all pages of a stack must have the same type`);
  }
}

/**
 * Before any pixel buffer is allocated: the page's data must lie inside the file
 * and be able to hold its pixels, so a corrupt header claiming a huge image fails
 * fast instead of allocating gigabytes.
 */
function checkPageFits(page: TiffPage, number: number, fileLength: number, fileName: string): void {
  const needed = Math.ceil((page.width * page.samplesPerPixel * page.bitsPerSample) / 8) * page.height;
  const tooFew = (held: number): StudioError =>
    damaged(fileName, `page ${number} holds ${held} bytes of pixel data, too few for ${page.width}x${page.height} pixels`);
  const counts = page.byteCounts;
  if (!counts) { // uncompressed, lengths implied: each segment is checked against the file as it is read
    if (needed > fileLength) throw tooFew(fileLength);
    return;
  }
  let claimed = 0;
  for (let i = 0; i < page.segmentCount; i++) {
    const end = (page.offsets[i] as number) + (counts[i] as number);
    if (end > fileLength) throw damaged(fileName, `the pixels of page ${number} run to byte ${end}, but the file ends at byte ${fileLength}`);
    claimed += counts[i] as number;
  }
  if (claimed * (page.compression === Compression.None ? 1 : MAX_EXPANSION) < needed) throw tooFew(claimed);
}
