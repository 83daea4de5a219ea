import { describe, expect, it } from 'vitest';
import { gaussian } from './gaussian';
import { mulberry32 } from './mulberry32';

describe('gaussian', () => {
  it('draws standard normal values, reproducibly from the seed', () => {
    const normal = gaussian(mulberry32(1));
    const values = Array.from({ length: 20000 }, () => normal());
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(std - 1)).toBeLessThan(0.03);
    expect(values.filter((v) => Math.abs(v) > 1.96).length / values.length).toBeCloseTo(0.05, 2);
    const again = gaussian(mulberry32(1));
    expect(Array.from({ length: 5 }, () => again())).toEqual(values.slice(0, 5));
    expect(values.every(Number.isFinite)).toBe(true);
  });
});
