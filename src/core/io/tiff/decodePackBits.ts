/** Apple PackBits (TIFF 6.0 section 9) into `out`; returns the bytes written. */
export function decodePackBits(src: Uint8Array, out: Uint8Array): number {
  let i = 0;
  let o = 0;
  while (i < src.length && o < out.length) {
    const header = ((src[i++] as number) << 24) >> 24; // as int8
    if (header >= 0) {
      const n = Math.min(header + 1, src.length - i, out.length - o);
      out.set(src.subarray(i, i + n), o);
      i += header + 1;
      o += n;
    } else if (header !== -128) {
      if (i >= src.length) break;
      const n = Math.min(1 - header, out.length - o);
      out.fill(src[i++] as number, o, o + n);
      o += n;
    }
  }
  return o;
}
