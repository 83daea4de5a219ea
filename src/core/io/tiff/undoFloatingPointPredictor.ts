import { HOST_IS_LITTLE_ENDIAN } from './byteOrder';

/**
 * Predictor 3, floating point (Adobe Photoshop TIFF technote 3): each row holds
 * the samples' bytes as planes, most significant first, byte-differenced across
 * the row with a stride of one pixel. The planes do not depend on the file's byte
 * order, so the result is written in the host's.
 */
export function undoFloatingPointPredictor(segment: Uint8Array, bytesPerSample: number, rows: number, rowSamples: number, stride: number): void {
  const rowBytes = rowSamples * bytesPerSample;
  const planes = new Uint8Array(rowBytes);
  for (let r = 0; r < rows; r++) {
    const row = segment.subarray(r * rowBytes, (r + 1) * rowBytes);
    for (let i = stride; i < rowBytes; i++) row[i] = ((row[i] as number) + (row[i - stride] as number)) & 0xff;
    planes.set(row);
    for (let s = 0; s < rowSamples; s++) {
      for (let b = 0; b < bytesPerSample; b++) {
        const significance = HOST_IS_LITTLE_ENDIAN ? bytesPerSample - 1 - b : b;
        row[s * bytesPerSample + significance] = planes[b * rowSamples + s] as number;
      }
    }
  }
}
