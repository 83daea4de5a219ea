/**
 * Predictor 2, horizontal differencing: each sample was stored as the difference
 * to the same channel of the pixel on its left, modulo 2^bits. `segment` holds
 * native-order samples, `rows` rows of `rowSamples` samples, `stride` samples per pixel.
 */
export function undoHorizontalDifferencing(segment: Uint8Array, bytesPerSample: number, rows: number, rowSamples: number, stride: number): void {
  if (bytesPerSample === 8) {
    const v = new BigUint64Array(segment.buffer, segment.byteOffset, rows * rowSamples);
    for (let r = 0; r < rows; r++) {
      const row = r * rowSamples;
      for (let i = row + stride; i < row + rowSamples; i++) v[i] = BigInt.asUintN(64, (v[i] as bigint) + (v[i - stride] as bigint));
    }
    return;
  }
  // Unsigned views wrap modulo 2^bits on assignment, which is the arithmetic the predictor needs.
  const v = bytesPerSample === 1 ? segment
    : bytesPerSample === 2 ? new Uint16Array(segment.buffer, segment.byteOffset, rows * rowSamples)
      : new Uint32Array(segment.buffer, segment.byteOffset, rows * rowSamples);
  for (let r = 0; r < rows; r++) {
    const row = r * rowSamples;
    for (let i = row + stride; i < row + rowSamples; i++) v[i] = (v[i] as number) + (v[i - stride] as number);
  }
}
