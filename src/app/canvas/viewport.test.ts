import { describe, expect, it } from 'vitest';
import { canvasToImage, fitViewport, panBy, zoomAt } from './viewport';

describe('viewport', () => {
  it('fits a 2048x1024 image into 800x600, centred', () => {
    const view = fitViewport(800, 600, 2048, 1024);
    expect(view.scale).toBeCloseTo(800 / 2048);
    expect(canvasToImage(view, 400, 300)).toEqual({ x: 1024, y: 512 });
  });

  it('keeps the image point under the cursor fixed while zooming', () => {
    const view = fitViewport(800, 600, 512, 512);
    const before = canvasToImage(view, 123, 456);
    const zoomed = zoomAt(view, 3.7, 123, 456);
    const after = canvasToImage(zoomed, 123, 456);
    expect(after.x).toBeCloseTo(before.x, 9);
    expect(after.y).toBeCloseTo(before.y, 9);
    expect(zoomed.scale).toBeCloseTo(view.scale * 3.7);
  });

  it('clamps the zoom and pans in canvas pixels', () => {
    expect(zoomAt({ scale: 1, offsetX: 0, offsetY: 0 }, 1e6, 0, 0).scale).toBe(64);
    const moved = panBy({ scale: 2, offsetX: 10, offsetY: 20 }, 5, -5);
    expect(canvasToImage(moved, 15, 15)).toEqual({ x: 0, y: 0 });
  });
});
