import { describe, expect, it } from 'vitest';
import { emptySquares } from './emptyFields';

describe('emptySquares', () => {
  it('finds non-overlapping squares with no object within the margin, and none where objects are everywhere', () => {
    const width = 300;
    const height = 200;
    const classes = new Int32Array(width * height);
    // One object at the top left; the rest of the image is empty.
    for (let y = 10; y < 30; y++) for (let x = 10; x < 30; x++) classes[y * width + x] = 1;
    const found = emptySquares(classes, width, height, 96, 3);
    expect(found).toHaveLength(3);
    for (const { x, y } of found) {
      for (let yy = Math.max(0, y - 8); yy < Math.min(height, y + 96 + 8); yy++) {
        for (let xx = Math.max(0, x - 8); xx < Math.min(width, x + 96 + 8); xx++) expect(classes[yy * width + xx]).not.toBe(1);
      }
    }
    for (const a of found) for (const b of found) if (a !== b) expect(Math.abs(a.x - b.x) >= 96 || Math.abs(a.y - b.y) >= 96).toBe(true);
    // A grid of objects every 60 px leaves no 96 px square empty.
    const crowded = new Int32Array(width * height);
    for (let y = 0; y < height; y += 60) for (let x = 0; x < width; x += 60) crowded[y * width + x] = 1;
    expect(emptySquares(crowded, width, height, 96, 3)).toEqual([]);
  });
});
