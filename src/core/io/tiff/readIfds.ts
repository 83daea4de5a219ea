import { damaged } from '../ioErrors';
import { DECODER_TAGS } from './tiffTags';

/** One image file directory: the decoder's tags, each as its list of numbers. */
export type TiffIfd = ReadonlyMap<number, readonly number[]>;

export interface TiffDirectory {
  readonly littleEndian: boolean;
  readonly ifds: readonly TiffIfd[];
}

/** Bytes per value of each TIFF field type (0: a type we skip). */
const TYPE_SIZE = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4, 0, 0, 8, 8, 8];
const MAX_PAGES = 1_000_000;

/**
 * Walks the chain of directories of a classic or BigTIFF file. Every offset is
 * checked against the file's length first, so a truncated or corrupt file gives
 * a message saying what is missing rather than a RangeError.
 */
export function readIfds(bytes: Uint8Array, fileName: string): TiffDirectory {
  if (bytes.length < 8) throw damaged(fileName, `the file is only ${bytes.length} bytes long, too short for a TIFF header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const littleEndian = bytes[0] === 0x49;
  const version = view.getUint16(2, littleEndian);
  if (bytes[0] !== bytes[1] || (bytes[0] !== 0x49 && bytes[0] !== 0x4d) || (version !== 42 && version !== 43)) {
    throw damaged(fileName, 'it does not start with a TIFF header');
  }
  const bigTiff = version === 43;
  if (bigTiff && bytes.length < 16) throw damaged(fileName, 'the BigTIFF header is cut short');
  const u16 = (at: number): number => view.getUint16(at, littleEndian);
  const u32 = (at: number): number => view.getUint32(at, littleEndian);
  const u64 = (at: number): number => Number(view.getBigUint64(at, littleEndian));
  const offsetAt = bigTiff ? u64 : u32;
  const entrySize = bigTiff ? 20 : 12;
  const countSize = bigTiff ? 8 : 2;
  const inlineBytes = bigTiff ? 8 : 4;

  function readValues(type: number, count: number, at: number): number[] {
    const values: number[] = [];
    for (let i = 0; i < count; i++) {
      const p = at + i * (TYPE_SIZE[type] ?? 0);
      switch (type) {
        case 1: case 2: case 7: values.push(view.getUint8(p)); break;
        case 6: values.push(view.getInt8(p)); break;
        case 3: values.push(u16(p)); break;
        case 8: values.push(view.getInt16(p, littleEndian)); break;
        case 4: case 13: values.push(u32(p)); break;
        case 9: values.push(view.getInt32(p, littleEndian)); break;
        case 5: values.push(u32(p) / u32(p + 4)); break;
        case 10: values.push(view.getInt32(p, littleEndian) / view.getInt32(p + 4, littleEndian)); break;
        case 11: values.push(view.getFloat32(p, littleEndian)); break;
        case 12: values.push(view.getFloat64(p, littleEndian)); break;
        case 16: case 18: values.push(u64(p)); break;
        case 17: values.push(Number(view.getBigInt64(p, littleEndian))); break;
        default: break;
      }
    }
    return values;
  }

  const ifds: TiffIfd[] = [];
  const seen = new Set<number>();
  let next = offsetAt(bigTiff ? 8 : 4);
  while (next !== 0) {
    const page = ifds.length + 1;
    if (seen.has(next)) throw damaged(fileName, `the list of pages loops back on itself after page ${page - 1}`);
    if (seen.size >= MAX_PAGES) throw damaged(fileName, `it claims more than ${MAX_PAGES} pages`);
    seen.add(next);
    if (next + countSize > bytes.length) {
      throw damaged(fileName, `page ${page} should start at byte ${next}, but the file ends at byte ${bytes.length}`);
    }
    const entries = bigTiff ? u64(next) : u16(next);
    const end = next + countSize + entries * entrySize + inlineBytes;
    if (end > bytes.length) throw damaged(fileName, `the description of page ${page} is cut off at byte ${bytes.length}`);
    const ifd = new Map<number, number[]>();
    for (let e = 0; e < entries; e++) {
      const at = next + countSize + e * entrySize;
      const tag = u16(at);
      if (!DECODER_TAGS.has(tag)) continue;
      const type = u16(at + 2);
      const count = bigTiff ? u64(at + 4) : u32(at + 4);
      const size = (TYPE_SIZE[type] ?? 0) * count;
      if (size === 0) continue; // a field type from a later spec: not one of ours
      const valueAt = size <= inlineBytes ? at + (bigTiff ? 12 : 8) : offsetAt(at + (bigTiff ? 12 : 8));
      if (valueAt + size > bytes.length) {
        throw damaged(fileName, `the values of tag ${tag} on page ${page} lie past the end of the file`);
      }
      ifd.set(tag, readValues(type, count, valueAt));
    }
    ifds.push(ifd);
    next = offsetAt(end - inlineBytes);
  }
  if (ifds.length === 0) throw damaged(fileName, 'it contains no pages');
  return { littleEndian, ifds };
}
