import { strToU8 } from 'fflate';

/**
 * A float32 array as a NumPy .npy file (format 1.0, little-endian, C order): bioimage.io's test
 * tensors. The header is padded with spaces so the data starts on a 64-byte boundary, as NumPy does.
 */
export function encodeNpy(values: Float32Array, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== values.length) throw new RangeError(`An .npy of shape (${shape.join(', ')}) holds ${count} values, not ${values.length}.`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const preambleBytes = 10; // magic (6), version (2), header length (2)
  const headerLength = Math.ceil((preambleBytes + dict.length + 1) / 64) * 64 - preambleBytes;
  const header = strToU8(dict.padEnd(headerLength - 1, ' ') + '\n');
  const out = new Uint8Array(preambleBytes + headerLength + values.length * 4);
  out.set([0x93, ...strToU8('NUMPY'), 1, 0]);
  const view = new DataView(out.buffer);
  view.setUint16(8, headerLength, true);
  out.set(header, preambleBytes);
  values.forEach((v, i) => view.setFloat32(preambleBytes + headerLength + i * 4, v, true));
  return out;
}
