import { zlibSync } from 'fflate';
import { StudioError } from '../errors';
import type { ImageStack } from '../image/imageStack';
import { HOST_IS_LITTLE_ENDIAN, swapBytes } from './tiff/byteOrder';
import { Compression, Tag } from './tiff/tiffTags';

export interface EncodeTiffOptions {
  /** 'none' (default) is what every reader opens; 'deflate' (zlib, TIFF code 8) is much smaller for label maps. */
  readonly compression?: 'none' | 'deflate';
}

/** TIFF SampleFormat: 1 unsigned, 2 signed, 3 IEEE float. */
const SAMPLE_FORMAT = { uint8: 1, uint16: 1, uint32: 1, int8: 2, int16: 2, int32: 2, float32: 3, float64: 3 } as const;
type WritableDType = keyof typeof SAMPLE_FORMAT;
const SHORT = 3;
const LONG = 4;
const ASCII = 2;

/**
 * Writes a grey stack of any pixel type the studio holds (label maps, probability maps, images) as a
 * little-endian multi-page TIFF that Fiji opens as a stack: ImageJ's
 * ImageDescription ("ImageJ=1.11a\nimages=N\nslices=N\n...") on the first page,
 * and, uncompressed, the pages' pixels back to back in one block, because ImageJ
 * reads all N images from the first page's offset.
 */
export function encodeTiff(stack: ImageStack, options: EncodeTiffOptions = {}): Uint8Array {
  const { width, height, slices, channels, dtype } = stack;
  if (channels !== 1 || !(dtype in SAMPLE_FORMAT)) {
    throw new StudioError('unsupported-format', `TIFF export writes grey stacks; this one is ${channels}-channel ${dtype}.`);
  }
  if (width < 1 || height < 1 || slices < 1) throw new StudioError('shape-mismatch', `Cannot write an empty ${width}x${height}x${slices} stack as TIFF.`);
  const bytesPerSample = stack.data.BYTES_PER_ELEMENT;
  const pageBytes = width * height * bytesPerSample;
  const raw = new Uint8Array(stack.data.buffer, stack.data.byteOffset, pageBytes * slices).slice();
  if (!HOST_IS_LITTLE_ENDIAN) swapBytes(raw, bytesPerSample);
  const deflate = options.compression === 'deflate';
  const strips = Array.from({ length: slices }, (_, z) => {
    const page = raw.subarray(z * pageBytes, (z + 1) * pageBytes);
    return deflate ? zlibSync(page, { level: 6 }) : page;
  });

  // ASCII, NUL-terminated (no TextEncoder: the core compiles without DOM or Node types).
  const descriptionText = (slices > 1 ? `ImageJ=1.11a\nimages=${slices}\nslices=${slices}\nloop=false\n` : 'ImageJ=1.11a\n') + '\0';
  const description = Uint8Array.from(descriptionText, (c) => c.charCodeAt(0));
  // 11 tags per page, plus the description on the first.
  const ifdBytes = (first: boolean): number => 2 + (first ? 12 : 11) * 12 + 4;
  const dataBytes = strips.reduce((sum, s) => sum + s.length, 0);
  const total = 8 + dataBytes + description.length + (description.length % 2) + ifdBytes(true) + (slices - 1) * ifdBytes(false);
  if (total > 2 ** 32 - 1) {
    throw new StudioError('unsupported-format', `The stack is ${(total / 2 ** 30).toFixed(1)} GiB, more than a TIFF file can hold (4 GiB).`);
  }

  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0]);
  const stripOffsets: number[] = [];
  let at = 8;
  for (const strip of strips) {
    stripOffsets.push(at);
    out.set(strip, at);
    at += strip.length;
  }
  const descriptionAt = at;
  out.set(description, at);
  at += description.length + (description.length % 2); // IFDs start on a word boundary
  view.setUint32(4, at, true);

  for (let z = 0; z < slices; z++) {
    const first = z === 0;
    const entries: [tag: number, type: number, count: number, value: number][] = [
      [Tag.NewSubfileType, LONG, 1, 0],
      [Tag.ImageWidth, LONG, 1, width],
      [Tag.ImageLength, LONG, 1, height],
      [Tag.BitsPerSample, SHORT, 1, bytesPerSample * 8],
      [Tag.Compression, SHORT, 1, deflate ? Compression.AdobeDeflate : Compression.None],
      [Tag.Photometric, SHORT, 1, 1],
      ...(first ? [[Tag.ImageDescription, ASCII, description.length, descriptionAt] as [number, number, number, number]] : []),
      [Tag.StripOffsets, LONG, 1, stripOffsets[z] as number],
      [Tag.SamplesPerPixel, SHORT, 1, 1],
      [Tag.RowsPerStrip, LONG, 1, height],
      [Tag.StripByteCounts, LONG, 1, (strips[z] as Uint8Array).length],
      [Tag.SampleFormat, SHORT, 1, SAMPLE_FORMAT[dtype as WritableDType]],
    ];
    view.setUint16(at, entries.length, true);
    entries.forEach(([tag, type, count, value], i) => {
      const e = at + 2 + i * 12;
      view.setUint16(e, tag, true);
      view.setUint16(e + 2, type, true);
      view.setUint32(e + 4, count, true);
      if (type === SHORT) view.setUint16(e + 8, value, true);
      else view.setUint32(e + 8, value, true);
    });
    const next = at + ifdBytes(first);
    view.setUint32(next - 4, z + 1 < slices ? next : 0, true);
    at = next;
  }
  return out;
}
