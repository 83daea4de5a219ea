import { damaged, errorDetail } from '../ioErrors';
import { HOST_IS_LITTLE_ENDIAN, swapBytes } from './byteOrder';
import type { TiffPage } from './describePage';
import { decompressSegment } from './decompressSegment';
import { Compression } from './tiffTags';
import { undoFloatingPointPredictor } from './undoFloatingPointPredictor';
import { undoHorizontalDifferencing } from './undoHorizontalDifferencing';

/**
 * Decodes every strip or tile of one page into `out`: the page's pixels in the
 * host's byte order, channels interleaved (page.channels of them).
 */
export function readPage(bytes: Uint8Array, littleEndian: boolean, page: TiffPage, pageNumber: number, out: Uint8Array, fileName: string): void {
  const { width, height, segmentWidth, segmentHeight, planar, samplesPerPixel, channels, bitsPerSample } = page;
  const bytesPerSample = Math.max(1, bitsPerSample / 8);
  const segmentSamples = planar ? 1 : samplesPerPixel; // samples per pixel inside one segment
  const rowSamples = segmentWidth * segmentSamples;
  const rowBytes = rowSamples * bytesPerSample; // after 1-bit samples are unpacked to bytes
  const storedRowBytes = Math.ceil((rowSamples * bitsPerSample) / 8); // 1-bit rows are padded to a byte
  const across = Math.ceil(width / segmentWidth);
  const perPlane = across * Math.ceil(height / segmentHeight);
  const swap = bytesPerSample > 1 && littleEndian !== HOST_IS_LITTLE_ENDIAN && page.predictor !== 3;
  // Uncompressed samples that need no change are read straight from the file, without a scratch copy.
  const direct = page.compression === Compression.None && !swap && bitsPerSample !== 1;
  const scratch = new Uint8Array(direct ? 0 : storedRowBytes * segmentHeight);
  const unpacked = bitsPerSample === 1 ? new Uint8Array(rowSamples * segmentHeight) : scratch;
  const pixelBytes = channels * bytesPerSample;
  const srcPixelBytes = segmentSamples * bytesPerSample;

  /** One segment's samples, expanded, in host order, predictor undone. */
  function decodeSegment(index: number, rows: number): Uint8Array {
    const needed = rows * storedRowBytes;
    const offset = page.offsets[index] as number;
    const count = page.byteCounts ? (page.byteCounts[index] as number) : needed;
    if (offset + count > bytes.length) {
      throw damaged(fileName, `the pixels of page ${pageNumber} run to byte ${offset + count}, but the file ends at byte ${bytes.length}`);
    }
    const short = (got: number): Error => damaged(fileName, `block ${index + 1} of page ${pageNumber} holds ${got} of its ${needed} bytes`);
    if (direct) {
      if (count < needed) throw short(count);
      return bytes.subarray(offset, offset + needed);
    }
    const segment = scratch.subarray(0, needed);
    let got: number;
    try {
      got = decompressSegment(bytes.subarray(offset, offset + count), page.compression, segment);
    } catch (error) {
      throw damaged(fileName, `block ${index + 1} of page ${pageNumber} cannot be decompressed (${errorDetail(error)})`);
    }
    if (got < needed) throw short(got);
    if (swap) swapBytes(segment, bytesPerSample);
    if (page.predictor === 2) undoHorizontalDifferencing(segment, bytesPerSample, rows, rowSamples, segmentSamples);
    if (page.predictor === 3) undoFloatingPointPredictor(segment, bytesPerSample, rows, rowSamples, segmentSamples);
    if (bitsPerSample === 1) unpackBits(segment, unpacked, rows, rowSamples, storedRowBytes);
    return unpacked;
  }

  for (let plane = 0; plane < (planar ? channels : 1); plane++) {
    for (let s = 0; s < perPlane; s++) {
      const x0 = (s % across) * segmentWidth;
      const y0 = Math.floor(s / across) * segmentHeight;
      // Strips hold only the rows left at the bottom; tiles are always whole.
      const rows = page.tiled ? segmentHeight : Math.min(segmentHeight, height - y0);
      const src = decodeSegment(plane * perPlane + s, rows);

      // Copy the part inside the image, keeping `channels` of the segment's samples.
      const columns = Math.min(segmentWidth, width - x0);
      const visibleRows = Math.min(rows, height - y0);
      const whole = !planar && segmentSamples === channels;
      if (whole && columns === segmentWidth && segmentWidth === width) {
        out.set(src.subarray(0, visibleRows * rowBytes), y0 * width * pixelBytes);
        continue;
      }
      for (let r = 0; r < visibleRows; r++) {
        const srcRow = r * rowBytes;
        const dstRow = ((y0 + r) * width + x0) * pixelBytes;
        if (whole) {
          out.set(src.subarray(srcRow, srcRow + columns * pixelBytes), dstRow);
          continue;
        }
        const keep = planar ? bytesPerSample : pixelBytes;
        const dstChannel = planar ? plane * bytesPerSample : 0;
        for (let x = 0; x < columns; x++) {
          const from = srcRow + x * srcPixelBytes;
          const to = dstRow + x * pixelBytes + dstChannel;
          for (let b = 0; b < keep; b++) out[to + b] = src[from + b] as number;
        }
      }
    }
  }
}

/** 1-bit samples, most significant bit first, each row padded to a byte, to one byte (0 or 1) per sample. */
function unpackBits(packed: Uint8Array, out: Uint8Array, rows: number, rowSamples: number, rowBytes: number): void {
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < rowSamples; i++) {
      out[r * rowSamples + i] = ((packed[r * rowBytes + (i >> 3)] as number) >> (7 - (i & 7))) & 1;
    }
  }
}
