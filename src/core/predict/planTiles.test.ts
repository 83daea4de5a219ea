import { describe, expect, it } from 'vitest';
import { planTiles } from './planTiles';

describe('planTiles', () => {
  it('covers a 512x512 image with the paper tile (572 -> 388) in 2x2 tiles at multiples of 16 px', () => {
    const tiles = planTiles({ imageWidthPx: 512, imageHeightPx: 512, inputTilePx: 572, borderPx: 92, overlapPx: 0, alignPx: 16 });
    // 388 is not a multiple of 16: the stride is 384, and the last tiles are clipped at the edge.
    expect(tiles.map((t) => [t.outX, t.outY])).toEqual([[0, 0], [384, 0], [0, 384], [384, 384]]);
    expect(tiles[0]).toMatchObject({ inputX: -92, inputY: -92, outWidth: 388, outHeight: 388 });
    expect(tiles[3]).toMatchObject({ inputX: 292, outWidth: 128, outHeight: 128 });
  });

  it('covers every pixel of odd-sized images at least once, within the image', () => {
    for (const [w, h, overlap] of [[1000, 37, 0], [389, 388, 0], [50, 700, 100]] as const) {
      const tiles = planTiles({ imageWidthPx: w, imageHeightPx: h, inputTilePx: 572, borderPx: 92, overlapPx: overlap, alignPx: 16 });
      const covered = new Uint8Array(w * h);
      for (const t of tiles) {
        expect(t.outX + t.outWidth).toBeLessThanOrEqual(w);
        expect(t.outY + t.outHeight).toBeLessThanOrEqual(h);
        for (let y = t.outY; y < t.outY + t.outHeight; y++) for (let x = t.outX; x < t.outX + t.outWidth; x++) covered[y * w + x] = 1;
      }
      expect(covered.every((c) => c === 1)).toBe(true);
    }
  });

  it('steps by output - overlap, rounded down to the alignment', () => {
    const tiles = planTiles({ imageWidthPx: 300, imageHeightPx: 128, inputTilePx: 128, borderPx: 0, overlapPx: 30, alignPx: 16 });
    expect(tiles.filter((t) => t.outY === 0).map((t) => t.outX)).toEqual([0, 96, 192, 288]);
    expect(tiles.filter((t) => t.outX === 0).map((t) => t.outY)).toEqual([0, 96]);
    expect(tiles.at(-1)!.outWidth).toBe(12);
  });

  it('rejects overlaps as large as the tile', () => {
    expect(() => planTiles({ imageWidthPx: 10, imageHeightPx: 10, inputTilePx: 64, borderPx: 0, overlapPx: 64, alignPx: 1 })).toThrow(/overlap must be from 0 to 63/);
    expect(() => planTiles({ imageWidthPx: 10, imageHeightPx: 10, inputTilePx: 12, borderPx: 0, overlapPx: 0, alignPx: 16 })).toThrow(/pooling grid/);
  });
});
