/** encodePng round trips exactly through decodePng, and Pillow reads the same values. */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StudioError } from '../errors';
import type { ImageStack } from '../image/imageStack';
import { hasPythonModules, PYTHON } from '../../testing/testPeers';
import { decodePng } from './decodePng';
import { encodePng } from './encodePng';

const hasPillow = hasPythonModules('PIL', 'numpy');

function makeStack(dtype: 'uint8' | 'uint16', channels: number, slices = 1): ImageStack {
  const width = 9;
  const height = 6;
  const n = width * height * channels * slices;
  const max = dtype === 'uint8' ? 255 : 65535;
  const data = dtype === 'uint8' ? new Uint8Array(n) : new Uint16Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.round((((i * 7919) % n) / (n - 1)) * max);
  return { width, height, slices, channels, dtype, data };
}

const cases = [
  { dtype: 'uint8', channels: 1 }, { dtype: 'uint8', channels: 3 }, { dtype: 'uint8', channels: 4 },
  { dtype: 'uint16', channels: 1 }, { dtype: 'uint16', channels: 3 }, { dtype: 'uint16', channels: 4 },
] as const;

describe('encodePng', () => {
  it.each(cases)('round-trips $dtype with $channels channels', ({ dtype, channels }) => {
    const stack = makeStack(dtype, channels);
    const back = decodePng(encodePng(stack));
    expect([back.width, back.height, back.slices, back.channels, back.dtype]).toEqual([9, 6, 1, channels, dtype]);
    expect(Array.from(back.data)).toEqual(Array.from(stack.data));
  });

  it('writes the slice asked for', () => {
    const stack = makeStack('uint16', 1, 3);
    const back = decodePng(encodePng(stack, 2));
    expect(Array.from(back.data)).toEqual(Array.from(stack.data.subarray(2 * 54, 3 * 54)));
    expect(() => encodePng(stack, 3)).toThrow(StudioError);
  });

  it('refuses float stacks with a StudioError', () => {
    const float: ImageStack = { width: 2, height: 2, slices: 1, channels: 1, dtype: 'float32', data: new Float32Array(4) };
    expect(() => encodePng(float)).toThrow(/uint8 or uint16/);
  });

  describe('read back by Pillow', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'encode-png-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    if (!hasPillow) it('is skipped: /usr/bin/python3 lacks Pillow', () => {
      console.warn('/usr/bin/python3 has no Pillow: the Pillow read-back of encodePng was not run');
    });

    // Pillow reads 16-bit grey exactly but 16-bit colour only as 8-bit, so those two are left to the round trip.
    it.skipIf(!hasPillow).each(cases.filter((c) => c.dtype === 'uint8' || c.channels === 1))('Pillow reads $dtype with $channels channels', ({ dtype, channels }) => {
      const stack = makeStack(dtype, channels);
      const file = path.join(dir, `${dtype}-${channels}.png`);
      writeFileSync(file, encodePng(stack));
      const script = 'import sys, hashlib, numpy as np; from PIL import Image; a = np.array(Image.open(sys.argv[1])); ' +
        'print(a.shape, hashlib.sha256(a.astype(sys.argv[2]).tobytes()).hexdigest())';
      const out = execFileSync(PYTHON, ['-c', script, file, dtype === 'uint8' ? 'u1' : '<u2'], { encoding: 'utf8' }).trim();
      const hash = createHash('sha256').update(new Uint8Array(stack.data.buffer, stack.data.byteOffset, stack.data.byteLength)).digest('hex');
      expect(out).toBe(`${channels === 1 ? '(6, 9)' : `(6, 9, ${channels})`} ${hash}`);
    });
  });
});
