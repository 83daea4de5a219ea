import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeNpy } from './encodeNpy';

/** Byte for byte what NumPy's np.save writes (fixtures from scripts/make_npy_fixtures.py). */
describe('encodeNpy', () => {
  it.each([[1, 1, 2, 3], [1, 3, 5, 7], [4]])('writes NumPy\'s bytes for shape %j', (...shape: number[]) => {
    const count = shape.reduce((a, b) => a * b, 1);
    const values = Float32Array.from({ length: count }, (_, i) => i * 0.25 - 1.5);
    const numpy = readFileSync(new URL(`./fixtures/npy_${shape.join('x')}.npy`, import.meta.url));
    expect(Buffer.from(encodeNpy(values, shape)).equals(numpy)).toBe(true);
  });

  it('refuses a shape that does not hold the values, saying both counts', () => {
    expect(() => encodeNpy(new Float32Array(5), [2, 3])).toThrow(/shape \(2, 3\) holds 6 values, not 5/);
  });
});
