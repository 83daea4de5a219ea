import { describe, expect, it } from 'vitest';
import { isValidInputSizePx, outputSizePx } from '../geometry/tileGeometry';
import { FAST_UNET, PAPER_UNET } from '../model/unetConfig';
import { choosePredictionTilePx, estimateForwardBytes } from './choosePredictionTile';

describe('choosePredictionTilePx', () => {
  it('covers a small image in one pass when it fits', () => {
    const tile = choosePredictionTilePx({ ...PAPER_UNET, baseChannels: 8 }, 200, 150);
    expect(isValidInputSizePx(tile, PAPER_UNET)).toBe(true);
    expect(outputSizePx(tile, PAPER_UNET)).toBeGreaterThanOrEqual(200);
  });

  it('stays within the budget for the paper net on a large image, and never below the training tile', () => {
    const budget = { totalBytes: 1024 * 2 ** 20, maxTensorBytes: 128 * 2 ** 20 };
    const tile = choosePredictionTilePx(PAPER_UNET, 2048, 2048, budget);
    expect(tile).toBeGreaterThanOrEqual(572);
    expect(estimateForwardBytes(PAPER_UNET, tile).largestTensorBytes).toBeLessThanOrEqual(budget.maxTensorBytes);
    const tiny = choosePredictionTilePx(FAST_UNET, 4096, 4096, { totalBytes: 1, maxTensorBytes: 1 });
    expect(tiny).toBe(FAST_UNET.tileSizePx);
  });

  it('walks the paper tile\'s real sizes: the largest tensor is the first conv output, 570x570x64 floats (~83 MB)', () => {
    const estimate = estimateForwardBytes(PAPER_UNET, 572);
    expect(estimate.largestTensorBytes).toBe(570 * 570 * 64 * 4);
    expect(estimate.totalBytes / 1e6).toBeGreaterThan(500);
    expect(estimate.totalBytes / 1e6).toBeLessThan(1000);
  });
});
