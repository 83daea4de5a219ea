/**
 * Every fixture of scripts/make_io_fixtures.py against the array it was written
 * from: TIFFs (libtiff, tifffile, Pillow), PNGs (Pillow and a hand-written
 * encoder) exactly, bit for bit; JPEGs against Pillow's decoding within rounding.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { StudioError } from '../errors';
import type { ImageStack, PixelDType } from '../image/imageStack';
import { decodeJpeg } from './decodeJpeg';
import { decodePng } from './decodePng';
import { decodeTiff } from './decodeTiff';

interface Entry { file: string; array: string; note?: string }
interface Manifest {
  arrays: Record<string, { dtype: PixelDType; shape: [number, number, number, number]; offset: number }>;
  fixtures: Entry[];
  failures: { file: string; code: string; detail: string; note: string }[];
  pngs: Entry[];
  jpegs: Entry[];
}

const fixtureUrl = (file: string): URL => new URL(`./fixtures/${file}`, import.meta.url);
const manifest = JSON.parse(readFileSync(fixtureUrl('manifest.json'), 'utf8')) as Manifest;
const expectedBin = readFileSync(fixtureUrl('expected.bin'));
const BYTES: Record<PixelDType, number> = { uint8: 1, int8: 1, uint16: 2, int16: 2, uint32: 4, int32: 4, float32: 4, float64: 8 };

function expected(key: string): { dtype: PixelDType; shape: number[]; bytes: Uint8Array } {
  const entry = manifest.arrays[key];
  if (!entry) throw new Error(`manifest has no array ${key}`);
  const length = entry.shape.reduce((a, b) => a * b, 1) * BYTES[entry.dtype];
  return { dtype: entry.dtype, shape: entry.shape, bytes: new Uint8Array(expectedBin.buffer, expectedBin.byteOffset + entry.offset, length) };
}

const read = (file: string): Uint8Array => new Uint8Array(readFileSync(fixtureUrl(file)));
const shapeOf = (s: ImageStack): number[] => [s.slices, s.height, s.width, s.channels];
// Bytes, not values: NaN payloads, -0 and every bit of float64 must survive.
const bytesOf = (s: ImageStack): Uint8Array => new Uint8Array(s.data.buffer, s.data.byteOffset, s.data.byteLength);

describe('decodeTiff on the fixtures', () => {
  it('covers every dtype, compression, layout, sample layout and byte order', () => {
    const names = manifest.fixtures.map((f) => f.file).join(' ');
    for (const part of ['uint8', 'int8', 'uint16', 'int16', 'uint32', 'int32', 'float32', 'float64', '-none-', '-lzw-', '-lzwpred-',
      '-deflate-', '-deflatepred-', '-olddeflate-', '-packbits-', '-strips-', '-tiles-', '-grey-', '-rgb-', '-le', '-be', 'bigtiff', 'planar', 'multitile']) {
      expect(names, part).toContain(part);
    }
    expect(manifest.fixtures.length).toBeGreaterThan(250);
  });

  it.each(manifest.fixtures)('$file decodes exactly', ({ file, array }) => {
    const want = expected(array);
    const stack = decodeTiff(read(file), file);
    expect(stack.dtype).toBe(want.dtype);
    expect(shapeOf(stack)).toEqual(want.shape);
    expect(Buffer.from(bytesOf(stack)).equals(Buffer.from(want.bytes))).toBe(true);
  });

  it.each(manifest.failures)('$file is refused: $note', ({ file, code, detail }) => {
    let error: unknown;
    try {
      decodeTiff(read(file), file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StudioError);
    expect((error as StudioError).code).toBe(code);
    expect((error as StudioError).message).toContain(file);
    expect((error as StudioError).message).toContain(detail);
  });
});

describe('decodePng on the fixtures', () => {
  it.each(manifest.pngs)('$file decodes exactly ($note)', ({ file, array }) => {
    const want = expected(array);
    const stack = decodePng(read(file), file);
    expect(stack.dtype).toBe(want.dtype);
    expect(shapeOf(stack)).toEqual(want.shape);
    expect(Buffer.from(bytesOf(stack)).equals(Buffer.from(want.bytes))).toBe(true);
  });
});

describe('decodeJpeg on the fixtures', () => {
  it.each(manifest.jpegs)('$file matches Pillow within rounding', ({ file, array }) => {
    const want = expected(array);
    const stack = decodeJpeg(read(file), file);
    expect(stack.dtype).toBe('uint8');
    expect(shapeOf(stack)).toEqual(want.shape);
    let maxDiff = 0;
    let sumDiff = 0;
    stack.data.forEach((v, i) => {
      const d = Math.abs(v - (want.bytes[i] as number));
      maxDiff = Math.max(maxDiff, d);
      sumDiff += d;
    });
    // jpeg-js and libjpeg round the IDCT differently: measured max 2, mean 0.56 on RGB.
    expect(maxDiff).toBeLessThanOrEqual(2);
    expect(sumDiff / stack.data.length).toBeLessThan(1);
  });
});
