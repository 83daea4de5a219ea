/**
 * encodeTiff round trips through decodeTiff, and tifffile (an independent reader,
 * Debian's /usr/bin/python3) reads what we write as the same ImageJ stack.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StudioError } from '../errors';
import { pixelArrayFor, type ImageStack, type PixelDType } from '../image/imageStack';
import { hasPythonModules, PYTHON } from '../../testing/testPeers';
import { decodeTiff } from './decodeTiff';
import { encodeTiff } from './encodeTiff';

const hasTifffile = hasPythonModules('tifffile', 'numpy');

/** Deterministic values over the type's range, including its extremes. */
function makeStack(dtype: PixelDType, width: number, height: number, slices: number): ImageStack {
  const n = width * height * slices;
  const data = pixelArrayFor(dtype, n);
  for (let i = 0; i < n; i++) {
    const t = ((i * 7919) % n) / Math.max(n - 1, 1);
    data[i] = dtype === 'uint8' ? Math.round(t * 255) : dtype === 'uint16' ? Math.round(t * 65535) : dtype === 'uint32' ? Math.round(t * 4294967295)
      : dtype === 'int8' ? Math.round(t * 255) - 128 : dtype === 'int16' ? Math.round(t * 65535) - 32768 : dtype === 'int32' ? Math.round(t * 4294967295) - 2147483648
        : (t - 0.25) * 1e3;
  }
  if (dtype === 'float32' || dtype === 'float64') data.set([Number.NaN, -0, Infinity, 1e-45, 3.4e38], 0);
  return { width, height, slices, channels: 1, dtype, data };
}

const cases = [
  { dtype: 'uint8', width: 7, height: 5, slices: 3 },
  { dtype: 'uint16', width: 33, height: 17, slices: 4 },
  { dtype: 'float32', width: 6, height: 9, slices: 2 },
  { dtype: 'uint16', width: 5, height: 4, slices: 1 },
  // The project file writes images of every pixel type the import reads.
  { dtype: 'uint32', width: 5, height: 3, slices: 2 },
  { dtype: 'int8', width: 4, height: 3, slices: 1 },
  { dtype: 'int16', width: 6, height: 2, slices: 2 },
  { dtype: 'int32', width: 3, height: 3, slices: 1 },
  { dtype: 'float64', width: 4, height: 4, slices: 2 },
] as const;

describe('encodeTiff', () => {
  it.each(cases)('round-trips $dtype $width x $height x $slices', ({ dtype, width, height, slices }) => {
    const stack = makeStack(dtype, width, height, slices);
    for (const compression of ['none', 'deflate'] as const) {
      const back = decodeTiff(encodeTiff(stack, { compression }));
      expect([back.width, back.height, back.slices, back.channels, back.dtype]).toEqual([width, height, slices, 1, dtype]);
      expect(Buffer.from(back.data.buffer, back.data.byteOffset, back.data.byteLength))
        .toEqual(Buffer.from(stack.data.buffer, stack.data.byteOffset, stack.data.byteLength));
    }
  });

  it('writes the ImageJ description and keeps the pixels contiguous, as Fiji expects', () => {
    const bytes = encodeTiff(makeStack('uint8', 7, 5, 3));
    const text = Buffer.from(bytes).toString('latin1');
    expect(text).toContain('ImageJ=1.11a\nimages=3\nslices=3\n');
    // Pixels start right after the header, page after page.
    const first = makeStack('uint8', 7, 5, 3).data;
    expect(Buffer.from(bytes.subarray(8, 8 + first.length))).toEqual(Buffer.from(first.buffer));
  });

  it('refuses what it does not write, with a StudioError', () => {
    const rgb: ImageStack = { width: 2, height: 2, slices: 1, channels: 3, dtype: 'uint8', data: new Uint8Array(12) };
    expect(() => encodeTiff(rgb)).toThrow(StudioError);
    expect(() => encodeTiff(rgb)).toThrow(/writes grey stacks; this one is 3-channel uint8/);
  });

  describe('read back by tifffile', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'encode-tiff-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    if (!hasTifffile) it('is skipped: /usr/bin/python3 lacks tifffile', () => {
      console.warn('/usr/bin/python3 has no tifffile: the tifffile read-back of encodeTiff was not run');
    });

    it.skipIf(!hasTifffile).each(cases)('tifffile reads $dtype $width x $height x $slices as the same ImageJ stack', ({ dtype, width, height, slices }) => {
      const stack = makeStack(dtype, width, height, slices);
      for (const compression of ['none', 'deflate'] as const) {
        const tif = path.join(dir, `${dtype}-${slices}-${compression}.tif`);
        const raw = path.join(dir, `${dtype}-${slices}-${compression}.raw`);
        writeFileSync(tif, encodeTiff(stack, { compression }));
        writeFileSync(raw, new Uint8Array(stack.data.buffer, stack.data.byteOffset, stack.data.byteLength));
        const script = [
          'import sys, numpy as np, tifffile',
          'tif, raw, dtype, s, h, w = sys.argv[1:7]',
          'expected = np.fromfile(raw, dtype="<" + np.dtype(dtype).str[1:]).reshape(int(s), int(h), int(w)).squeeze()',
          'with tifffile.TiffFile(tif) as f:',
          '    assert f.is_imagej, "not recognised as ImageJ"',
          '    assert f.imagej_metadata.get("images", 1) == int(s), f.imagej_metadata',
          '    got = f.asarray()',
          '    assert f.series[0].axes == ("ZYX" if int(s) > 1 else "YX"), f.series[0].axes',
          'assert got.dtype == expected.dtype, got.dtype',
          'assert got.shape == expected.shape, got.shape',
          'assert got.tobytes() == expected.tobytes(), "pixels differ"',
          'print("ok")',
        ].join('\n');
        const out = execFileSync(PYTHON, ['-c', script, tif, raw, dtype, String(slices), String(height), String(width)], { encoding: 'utf8' });
        expect(out.trim()).toBe('ok');
      }
    });
  });
});
