import { describe, expect, it } from 'vitest';
import { planTiles } from './planTiles';

describe('planTiles', () => {
  it('covers a 512x512 image with the paper tile (572 -> 388) in 2x2 tiles, last ones shifted back', () => {
    const tiles = planTiles({ imageWidthPx: 512, imageHeightPx: 512, inputTilePx: 572, borderPx: 92, overlapPx: 0 });
    expect(tiles.map((t) => [t.outX, t.outY])).toEqual([[0, 0], [124, 0], [0, 124], [124, 124]]);
    expect(tiles[0]).toMatchObject({ inputX: -92, inputY: -92, outWidth: 388, outHeight: 388 });
  });

  it('covers every pixel of odd-sized images at least once, within the image', () => {
    for (const [w, h, overlap] of [[1000, 37, 0], [389, 388, 0], [50, 700, 100]] as const) {
      const tiles = planTiles({ imageWidthPx: w, imageHeightPx: h, inputTilePx: 572, borderPx: 92, overlapPx: overlap });
      const covered = new Uint8Array(w * h);
      for (const t of tiles) {
        expect(t.outX + t.outWidth).toBeLessThanOrEqual(w);
        expect(t.outY + t.outHeight).toBeLessThanOrEqual(h);
        for (let y = t.outY; y < t.outY + t.outHeight; y++) for (let x = t.outX; x < t.outX + t.outWidth; x++) covered[y * w + x] = 1;
      }
      expect(covered.every((c) => c === 1)).toBe(true);
    }
  });

  it('steps by output - overlap for same-padded networks', () => {
    const tiles = planTiles({ imageWidthPx: 300, imageHeightPx: 128, inputTilePx: 128, borderPx: 0, overlapPx: 32 });
    expect(tiles.map((t) => t.outX)).toEqual([0, 96, 172]);
  });

  it('rejects overlaps as large as the tile', () => {
    expect(() => planTiles({ imageWidthPx: 10, imageHeightPx: 10, inputTilePx: 64, borderPx: 0, overlapPx: 64 })).toThrow(/overlap must be from 0 to 63/);
  });
});
