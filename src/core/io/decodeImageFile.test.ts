/**
 * Bad input never escapes as a raw library error: every case below is a
 * StudioError with its code and a message naming the file.
 */
import * as jpeg from 'jpeg-js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { StudioError, type StudioErrorCode } from '../errors';
import { mulberry32 } from '../random/mulberry32';
import { decodeImageFile } from './decodeImageFile';
import { encodePng } from './encodePng';
import { encodeTiff } from './encodeTiff';
import { assertSliceFits, MAX_SLICE_PIXELS, PEAK_BYTES_PER_PIXEL, sliceLimitPixels } from './sliceSizeLimit';

const read = (file: string): Uint8Array => new Uint8Array(readFileSync(new URL(`./fixtures/${file}`, import.meta.url)));

function failure(name: string, bytes: Uint8Array): StudioError {
  try {
    decodeImageFile(name, bytes);
  } catch (error) {
    if (error instanceof StudioError) return error;
    throw new Error(`${name}: a raw ${String(error)} escaped`);
  }
  throw new Error(`${name}: decoded without an error`);
}

function expectFailure(name: string, bytes: Uint8Array, code: StudioErrorCode, ...phrases: string[]): void {
  const error = failure(name, bytes);
  expect(error.code).toBe(code);
  expect(error.message).toContain(name);
  for (const phrase of phrases) expect(error.message).toContain(phrase);
}

/** Returns undefined when it decodes, the error when it fails with a StudioError; raw errors fail the test. */
function decodeOrStudioError(name: string, bytes: Uint8Array): StudioError | undefined {
  try {
    decodeImageFile(name, bytes);
    return undefined;
  } catch (error) {
    if (error instanceof StudioError) return error;
    throw new Error(`${name}: a raw ${String(error)} escaped`);
  }
}

describe('decodeImageFile', () => {
  it('dispatches by the bytes, not the name', () => {
    expect(decodeImageFile('really-a-png.tif', read('png/uint16-grey.png')).dtype).toBe('uint16');
    expect(decodeImageFile('really-a-tiff.png', read('tiff/float32-grey-none-strips-le.tif')).dtype).toBe('float32');
    expect(decodeImageFile('photo.dat', read('jpeg/rgb.jpg')).channels).toBe(3);
  });

  it('says a zero-byte file is empty', () => {
    expectFailure('cells.tif', new Uint8Array(0), 'decode-failed', 'cells.tif is empty (0 bytes)');
  });

  it('names the supported formats for random garbage', () => {
    const garbage = new Uint8Array(1000).map((_, i) => (i * 7919 + 13) % 251);
    expectFailure('mystery.tif', garbage, 'unsupported-format', 'mystery.tif is not an image file', 'TIFF', 'PNG', 'JPEG');
  });

  it('names formats it recognises but does not read', () => {
    expectFailure('anim.gif', Uint8Array.from('GIF89a\u0001\u0000', (c) => c.charCodeAt(0)), 'unsupported-format', 'anim.gif is a GIF file', 'Fiji');
    expectFailure('stack.czi', Uint8Array.from('ZISRAWFILE\u0000\u0000', (c) => c.charCodeAt(0)), 'unsupported-format', 'Zeiss CZI');
  });

  it('reports a truncated TIFF', () => {
    const whole = read('tiff/uint16-grey-none-strips-le.tif');
    // libtiff writes pixels before the directories: cutting the end loses page 2's directory.
    expectFailure('stack.tif', whole.subarray(0, whole.length - 40), 'decode-failed', 'stack.tif looks truncated or damaged');
    expectFailure('stack.tif', whole.subarray(0, 6), 'decode-failed', 'stack.tif looks truncated or damaged', 'too short');
    expectFailure('stack.tif', whole.subarray(0, 2), 'decode-failed', 'TIFF header');
  });

  it('reports a TIFF whose pixels lie past its end', () => {
    // tifffile writes a single page's directory first, pixels after: a cut loses pixels, not the directory.
    const whole = read('tiff/tifffile-float32-tiles-deflate.tif');
    expectFailure('stack.tif', whole.subarray(0, whole.length - 10), 'decode-failed', 'looks truncated or damaged', 'file ends at byte');
  });

  it('reports a corrupted directory offset', () => {
    const bytes = read('tiff/uint8-grey-none-strips-le.tif').slice();
    new DataView(bytes.buffer).setUint32(4, bytes.length + 1000, true);
    expectFailure('bad.tif', bytes, 'decode-failed', 'bad.tif looks truncated or damaged', 'page 1 should start at byte');
  });

  it('reports directories that loop', () => {
    const bytes = read('tiff/uint8-grey-none-strips-le.tif').slice();
    const view = new DataView(bytes.buffer);
    const first = view.getUint32(4, true);
    const entries = view.getUint16(first, true);
    view.setUint32(first + 2 + entries * 12, first, true); // page 1's "next page" is page 1
    expectFailure('loop.tif', bytes, 'decode-failed', 'loops back');
  });

  it('reports corrupt LZW and Deflate data', () => {
    for (const file of ['tiff/uint16-grey-lzw-strips-le.tif', 'tiff/uint16-grey-deflate-strips-le.tif']) {
      const bytes = read(file).slice();
      bytes.fill(0xff, 8, 60); // the pixel data of page 1 (libtiff writes it first)
      expectFailure('corrupt.tif', bytes, 'decode-failed', 'corrupt.tif looks truncated or damaged');
    }
  });

  it('reports a truncated PNG', () => {
    const whole = read('png/uint16-rgba.png');
    expectFailure('nuclei.png', whole.subarray(0, Math.floor(whole.length / 2)), 'decode-failed', 'nuclei.png looks truncated or damaged');
    expectFailure('nuclei.png', whole.subarray(0, 5), 'decode-failed', 'PNG header');
  });

  it('reports a PNG whose data were altered (chunk checksums)', () => {
    const bytes = read('png/uint8-rgb.png').slice();
    const at = bytes.length - 20;
    bytes[at] = (bytes[at] as number) ^ 0x55;
    expectFailure('nuclei.png', bytes, 'decode-failed', 'nuclei.png looks truncated or damaged');
  });

  it('names unsupported TIFF compressions', () => {
    expectFailure('scan.tif', read('tiff/unsupported-jpeg.tif'), 'unsupported-format', 'scan.tif uses JPEG compression (TIFF code 7)', 'LZW');
    expectFailure('fax.tif', read('tiff/unsupported-ccitt-g4.tif'), 'unsupported-format', 'CCITT Group 4');
    expectFailure('z.tif', read('tiff/unsupported-zstd.tif'), 'unsupported-format', 'Zstandard');
  });

  it('names the page when pages differ in size', () => {
    expectFailure('mixed.tif', read('tiff/pages-differ.tif'), 'size-mismatch', 'page 2 is 7x6 pixels but page 1 is 7x5');
  });

  /** encodeTiff's output with every page claiming `side` x `side` pixels in its one strip. */
  function claimSize(side: number): Uint8Array {
    const bytes = encodeTiff({ width: 4, height: 4, slices: 3, channels: 1, dtype: 'float32', data: new Float32Array(48) });
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let ifd = view.getUint32(4, true); ifd !== 0;) {
      const entries = view.getUint16(ifd, true);
      for (let e = 0; e < entries; e++) {
        const at = ifd + 2 + e * 12;
        if ([256, 257, 278].includes(view.getUint16(at, true))) view.setUint32(at + 8, side, true);
      }
      ifd = view.getUint32(ifd + 2 + entries * 12, true);
    }
    return bytes;
  }

  it('refuses a stack too large to hold before allocating it', () => {
    expectFailure('huge.tif', claimSize(60000), 'unsupported-format', 'huge.tif holds 40.2 GiB of pixels');
  });

  it('refuses a 30000x30000 slice (PNG, TIFF, JPEG) from its header, at once, naming the limit', () => {
    const limit = 'the studio takes slices of up to 537 Mpx (about 23170×23170 px)';
    // PNG: a header that says 20000 x 20000, then the end marker; nothing to decode is ever reached.
    const png = encodePng({ width: 4, height: 4, slices: 1, channels: 1, dtype: 'uint8', data: new Uint8Array(16) });
    new DataView(png.buffer, png.byteOffset).setUint32(16, 30000);
    new DataView(png.buffer, png.byteOffset).setUint32(20, 30000);
    const started = Date.now();
    expectFailure('big.png', png, 'unsupported-format', 'big.png is 30000×30000 px (900 Mpx)', limit);
    // On a device whose browser reports 4 GB, the limit is what fits in three quarters of that, and the message says why.
    const fourGiB = sliceLimitPixels(4);
    expect(fourGiB).toBe(Math.floor((3 * 2 ** 30) / PEAK_BYTES_PER_PIXEL));
    const small = encodePng({ width: 4, height: 4, slices: 1, channels: 1, dtype: 'uint8', data: new Uint8Array(16) });
    new DataView(small.buffer, small.byteOffset).setUint32(16, 12000);
    new DataView(small.buffer, small.byteOffset).setUint32(20, 12000);
    const onSmallDevice = (() => { try { decodeImageFile('scan.png', small, fourGiB); } catch (error) { return error as StudioError; } throw new Error('not refused'); })();
    expect(onSmallDevice.code).toBe('unsupported-format');
    expect(onSmallDevice.message).toContain('scan.png is 12000×12000 px (144 Mpx); the studio takes slices of up to 115 Mpx (about 10725×10725 px) on this device (its browser reports 4 GB of memory');
    expect(sliceLimitPixels(8)).toBe(MAX_SLICE_PIXELS); // 8 means "8 or more"
    expect(sliceLimitPixels(undefined)).toBe(MAX_SLICE_PIXELS);
    expect(() => assertSliceFits(20000, 20000, 'whole-slide.png')).not.toThrow();
    // TIFF: one 8-bit page of 30000 x 30000 (under the 2 GiB stack limit, over the slice limit).
    const tiff = encodeTiff({ width: 4, height: 4, slices: 1, channels: 1, dtype: 'uint8', data: new Uint8Array(16) });
    const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
    const ifd = view.getUint32(4, true);
    for (let e = 0; e < view.getUint16(ifd, true); e++) {
      const at = ifd + 2 + e * 12;
      if ([256, 257, 278].includes(view.getUint16(at, true))) {
        if (view.getUint16(at + 2, true) === 3) view.setUint16(at + 8, 30000, true); else view.setUint32(at + 8, 30000, true);
      }
    }
    expectFailure('big.tif', tiff, 'unsupported-format', 'big.tif is 30000×30000 px (900 Mpx)', limit);
    // JPEG: the start-of-frame marker says 30000 x 30000.
    const jpegBytes = new Uint8Array(jpeg.encode({ width: 8, height: 8, data: new Uint8Array(8 * 8 * 4) }, 90).data);
    for (let i = 2; i + 9 < jpegBytes.length; i += 2 + ((jpegBytes[i + 2]! << 8) | jpegBytes[i + 3]!)) {
      if (jpegBytes[i + 1] === 0xc0) {
        jpegBytes.set([30000 >> 8, 30000 & 255, 30000 >> 8, 30000 & 255], i + 5);
        break;
      }
    }
    expectFailure('big.jpg', jpegBytes, 'unsupported-format', 'big.jpg is 30000×30000 px (900 Mpx)', limit);
    expect(Date.now() - started).toBeLessThan(1000); // refused from the header: no 900 MB decode first
  });

  it('refuses a header that claims more pixels than the file holds, before allocating them', () => {
    expectFailure('liar.tif', claimSize(12000), 'decode-failed', 'liar.tif looks truncated or damaged', 'page 1 holds 64 bytes of pixel data, too few for 12000x12000');
  });

  it('leaves the bytes it is given untouched', () => {
    for (const file of ['tiff/int32-rgb-deflatepred-strips-be.tif', 'tiff/uint16-grey-none-strips-be.tif', 'tiff/float32-grey-lzwpred-strips-le.tif']) {
      const bytes = read(file);
      const copy = bytes.slice();
      decodeImageFile(file, bytes);
      expect(Buffer.from(bytes).equals(Buffer.from(copy)), file).toBe(true);
    }
  });

  it('never lets a raw error out of a file cut at any length', () => {
    for (const file of ['tiff/int16-rgb-lzwpred-tiles-be.tif', 'tiff/imagej-uint16.tif', 'png/uint8-rgb-adam7.png', 'jpeg/grey.jpg']) {
      const whole = read(file);
      for (let n = 1; n < whole.length; n++) decodeOrStudioError(`cut-${n}`, whole.subarray(0, n));
    }
  });

  it('never lets a raw error out of a file with random bytes changed', () => {
    const random = mulberry32(2012);
    for (const file of ['tiff/float32-rgb-deflatepred-strips-le.tif', 'tiff/int16-rgb-packbits-tiles-be.tif', 'tiff/bigtiff-uint16-grey-deflate-be.tif',
      'tiff/planar-uint16-rgb-deflate-be.tif', 'png/uint16-rgb.png', 'png/palette4.png']) {
      const whole = read(file);
      for (let trial = 0; trial < 300; trial++) {
        const bytes = whole.slice();
        for (let k = 0; k < 1 + Math.floor(random() * 4); k++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
        decodeOrStudioError(`flip-${trial}`, bytes);
      }
    }
  });
});
