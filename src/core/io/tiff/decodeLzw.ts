const CLEAR = 256;
const END = 257;
const MAX_CODES = 4096;

/**
 * TIFF's LZW (TIFF 6.0 section 13): codes MSB-first, 9 to 12 bits, widening one
 * code early as libtiff writes it. Decodes into `out` and returns the number of
 * bytes written; output past `out.length` is dropped, as libtiff does. Throws on
 * a code that cannot occur in a valid stream.
 */
export function decodeLzw(src: Uint8Array, out: Uint8Array): number {
  if (src.length >= 2 && src[0] === 0 && ((src[1] as number) & 1) === 1) {
    throw new Error('the LZW data are in the pre-1991 bit order, which the studio cannot read');
  }
  const prefix = new Uint16Array(MAX_CODES);
  const suffix = new Uint8Array(MAX_CODES);
  const first = new Uint8Array(MAX_CODES);
  const length = new Uint16Array(MAX_CODES);
  for (let i = 0; i < 256; i++) {
    suffix[i] = i;
    first[i] = i;
    length[i] = 1;
  }
  let next = 258;
  let width = 9;
  let previous = -1;
  let bits = 0;
  let bitCount = 0;
  let inPos = 0;
  let outPos = 0;
  const outLength = out.length;

  for (;;) {
    while (bitCount < width) {
      if (inPos >= src.length) return outPos; // no end code: libtiff accepts this too
      bits = ((bits << 8) | (src[inPos++] as number)) >>> 0;
      bitCount += 8;
    }
    bitCount -= width;
    const code = (bits >>> bitCount) & ((1 << width) - 1);
    bits &= (1 << bitCount) - 1;

    if (code === END) return outPos;
    if (code === CLEAR) {
      next = 258;
      width = 9;
      previous = -1;
      continue;
    }
    let emit: number;
    if (code < next) {
      emit = code;
      if (previous >= 0 && next < MAX_CODES) {
        prefix[next] = previous;
        suffix[next] = first[code] as number;
        first[next] = first[previous] as number;
        length[next] = (length[previous] as number) + 1;
        next++;
      }
    } else if (code === next && previous >= 0 && next < MAX_CODES) {
      // The KwKwK case: the code being defined is the previous string plus its own first byte.
      prefix[next] = previous;
      suffix[next] = first[previous] as number;
      first[next] = first[previous] as number;
      length[next] = (length[previous] as number) + 1;
      emit = next++;
    } else {
      throw new Error(`the LZW data hold an impossible code (${code}) after ${outPos} bytes`);
    }
    // Write the string backwards from its last byte; drop what does not fit.
    const n = length[emit] as number;
    let p = outPos + n - 1;
    let c = emit;
    for (let k = 0; k < n; k++) {
      if (p < outLength) out[p] = suffix[c] as number;
      c = prefix[c] as number;
      p--;
    }
    outPos += n;
    if (outPos >= outLength) return outLength;
    previous = emit;
    if (next + 1 >= 1 << width && width < 12) width++;
  }
}
