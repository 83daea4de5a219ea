import { inflateSync, unzlibSync } from 'fflate';
import { decodeLzw } from './decodeLzw';
import { decodePackBits } from './decodePackBits';
import { Compression } from './tiffTags';

/**
 * Expands one strip or tile into `out` (its exact decoded size) and returns how
 * many bytes the data held; the caller decides whether fewer is damage.
 */
export function decompressSegment(src: Uint8Array, compression: number, out: Uint8Array): number {
  switch (compression) {
    case Compression.None: {
      const n = Math.min(src.length, out.length);
      out.set(src.subarray(0, n));
      return n;
    }
    case Compression.Lzw:
      return decodeLzw(src, out);
    case Compression.PackBits:
      return decodePackBits(src, out);
    case Compression.AdobeDeflate:
    case Compression.Deflate: {
      // zlib-wrapped as the spec says; a few writers store raw deflate.
      const zlib = src.length >= 2 && ((src[0] as number) & 0x0f) === 8 && (((src[0] as number) << 8) | (src[1] as number)) % 31 === 0;
      return (zlib ? unzlibSync(src, { out }) : inflateSync(src, { out })).length;
    }
    default:
      throw new Error(`compression ${compression} reached the decoder`);
  }
}
