import { decode } from 'fast-png';
import type { ImageStack } from '../image/imageStack';
import { damaged, withDecodeErrors } from './ioErrors';
import { assertSliceFits, MAX_SLICE_PIXELS, pngSize } from './sliceSizeLimit';

/**
 * Decodes a PNG exactly (fast-png: unlike a browser canvas it keeps 16 bits and
 * applies no colour management) into a one-slice stack: uint8 or uint16.
 *
 * Channels: grey 1, grey + alpha 1 (the alpha is dropped), RGB 3, RGBA 4.
 * Palette images give their indices (label masks are often saved that way), not
 * colours. 1/2/4-bit samples are unpacked to uint8 as stored (0..2^bits-1),
 * not rescaled. The CRC of every chunk is checked, so corruption is reported.
 */
export function decodePng(bytes: Uint8Array, fileName = 'The PNG file', maxSlicePixels: number = MAX_SLICE_PIXELS): ImageStack {
  // A cut file lacks the end marker; say so rather than relay fast-png's out-of-bounds read.
  if (!endsWithIend(bytes)) throw damaged(fileName, 'the file ends before the PNG end marker (IEND), so part of it is missing');
  const size = pngSize(bytes);
  if (size) assertSliceFits(size.width, size.height, fileName, maxSlicePixels); // before fast-png allocates anything
  return withDecodeErrors(fileName, 'its PNG data could not be decoded', () => {
    const png = decode(bytes, { checkCrc: true });
    const { width, height, depth } = png;
    const stored = png.channels;
    const channels = stored === 2 ? 1 : stored;
    if (depth === 16) {
      const src = png.data as Uint16Array;
      return { width, height, slices: 1, channels, dtype: 'uint16', data: keepChannels(src, (n) => new Uint16Array(n), width * height, stored, channels) };
    }
    const src = depth === 8 ? (png.data as Uint8Array) : unpack(png.data as Uint8Array, width, height, stored, depth);
    return { width, height, slices: 1, channels, dtype: 'uint8', data: keepChannels(src, (n) => new Uint8Array(n), width * height, stored, channels) };
  });
}

/** IEND is the last chunk: length 0, type 'IEND', CRC AE 42 60 82. Trailing bytes after it are tolerated. */
function endsWithIend(bytes: Uint8Array): boolean {
  const IEND = [0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];
  for (let at = bytes.length - IEND.length; at >= Math.max(8, bytes.length - 4096); at--) {
    if (IEND.every((v, i) => bytes[at + i] === v)) return true;
  }
  return false;
}

/** The first `keep` of `stored` channels per pixel; the decoder's own array when that is all of it (no copy of a 400 MB image). */
function keepChannels<T extends Uint8Array | Uint16Array>(src: T, make: (length: number) => T, pixels: number, stored: number, keep: number): T {
  if (stored === keep && src.length === pixels * keep) return src;
  const out = make(pixels * keep);
  if (stored === keep) {
    out.set(src.subarray(0, out.length));
    return out;
  }
  for (let p = 0, n = out.length / keep; p < n; p++) {
    for (let c = 0; c < keep; c++) out[p * keep + c] = src[p * stored + c] as number;
  }
  return out;
}

/** Rows of 1/2/4-bit samples, most significant first, each row padded to a byte. */
function unpack(packed: Uint8Array, width: number, height: number, channels: number, depth: number): Uint8Array {
  const rowSamples = width * channels;
  const rowBytes = Math.ceil((rowSamples * depth) / 8);
  const perByte = 8 / depth;
  const mask = (1 << depth) - 1;
  const out = new Uint8Array(rowSamples * height);
  for (let y = 0; y < height; y++) {
    for (let i = 0; i < rowSamples; i++) {
      const byte = packed[y * rowBytes + Math.floor(i / perByte)] as number;
      out[y * rowSamples + i] = (byte >> (8 - depth * ((i % perByte) + 1))) & mask;
    }
  }
  return out;
}
