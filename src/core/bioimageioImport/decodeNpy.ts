import { strFromU8 } from 'fflate';
import { StudioError } from '../errors';
import { isolate } from '../text/isolate';

export interface NpyArray {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** Bytes per value and a reader for each dtype test tensors come in. */
const DTYPES: Readonly<Record<string, { bytes: number; read: (view: DataView, at: number, little: boolean) => number }>> = {
  f4: { bytes: 4, read: (v, at, le) => v.getFloat32(at, le) },
  f8: { bytes: 8, read: (v, at, le) => v.getFloat64(at, le) },
  u1: { bytes: 1, read: (v, at) => v.getUint8(at) },
  i1: { bytes: 1, read: (v, at) => v.getInt8(at) },
  u2: { bytes: 2, read: (v, at, le) => v.getUint16(at, le) },
  i2: { bytes: 2, read: (v, at, le) => v.getInt16(at, le) },
  u4: { bytes: 4, read: (v, at, le) => v.getUint32(at, le) },
  i4: { bytes: 4, read: (v, at, le) => v.getInt32(at, le) },
};

/** A NumPy .npy file (format 1-3, C order, a numeric dtype) as float32 values: bioimage.io's test tensors. */
export function decodeNpy(bytes: Uint8Array, fileName: string): NpyArray {
  const fail = (why: string) => new StudioError('decode-failed', `${isolate(fileName)} is not an .npy array the studio reads: ${why}.`);
  if (bytes.length < 12 || bytes[0] !== 0x93 || String.fromCharCode(...bytes.subarray(1, 6)) !== 'NUMPY') throw fail('it lacks the NumPy header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6] as number;
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  const header = strFromU8(bytes.subarray(headerStart, headerStart + headerLength));
  const descr = /'descr':\s*'([<>|=])([a-z]\d+)'/.exec(header);
  const dtype = descr ? DTYPES[descr[2] as string] : undefined;
  if (!descr || !dtype) throw fail(`its data type ${descr ? descr[1]! + descr[2]! : 'unknown'} is not a plain number`);
  if (!/'fortran_order':\s*False/.test(header)) throw fail('it is stored in Fortran order');
  const shape = (/'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = headerStart + headerLength;
  if (!shape.every(Number.isInteger) || dataStart + count * dtype.bytes > bytes.length) throw fail('it is shorter than its shape');
  const little = descr[1] !== '>';
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = dtype.read(view, dataStart + i * dtype.bytes, little);
  return { shape, values };
}
