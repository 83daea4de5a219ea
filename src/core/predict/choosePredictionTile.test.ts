import { describe, expect, it } from 'vitest';
import { isValidInputSizePx, outputSizePx } from '../geometry/tileGeometry';
import { FAST_UNET, PAPER_UNET } from '../model/unetConfig';
import { choosePredictionTilePx, estimateForwardBytes, predictionMarginPx, studioPredictionTiling, usefulOutputPx } from './choosePredictionTile';
import { planTiles } from './planTiles';

describe('choosePredictionTilePx', () => {
  it('covers a small image in one pass when it fits', () => {
    const tile = choosePredictionTilePx({ ...PAPER_UNET, baseChannels: 8 }, 200, 150);
    expect(isValidInputSizePx(tile, PAPER_UNET)).toBe(true);
    expect(outputSizePx(tile, PAPER_UNET)).toBeGreaterThanOrEqual(200);
  });

  it('counts the discarded margins: a same-padded net covers a 512 px image in one tile, not four', () => {
    const tiny = { ...FAST_UNET, depth: 2, baseChannels: 8, tileSizePx: 64 };
    for (const config of [FAST_UNET, tiny]) {
      const tile = choosePredictionTilePx(config, 512, 512);
      const marginPx = predictionMarginPx(config, tile);
      expect(tile - 2 * marginPx).toBeGreaterThanOrEqual(512 + 2 ** config.depth); // + the blending overlap
      // The smallest such tile: one grid step less would not cover the image.
      expect(usefulOutputPx(config, tile - 2 ** config.depth)).toBeLessThan(512 + 2 ** config.depth);
      const plan = planTiles({ imageWidthPx: 512, imageHeightPx: 512, inputTilePx: tile, borderPx: marginPx, overlapPx: 2 ** config.depth, alignPx: 2 ** config.depth });
      expect(plan).toHaveLength(1);
    }
    expect(predictionMarginPx(PAPER_UNET, 572)).toBe(0);
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

describe('studioPredictionTiling', () => {
  it('is the chosen tile with its margins, blending one grid step for same nets and nothing for valid ones', () => {
    const bench = { ...FAST_UNET, depth: 3, baseChannels: 16, tileSizePx: 128 }; // bench:accuracy's recipe
    const same = studioPredictionTiling(bench, 512, 512);
    expect(same).toEqual({ inputTilePx: choosePredictionTilePx(bench, 512, 512), outputTilePx: same.inputTilePx, marginPx: predictionMarginPx(bench, same.inputTilePx), overlapPx: 8, alignPx: 8 });
    // One tile over the whole slice: no seams between 128 px tiles.
    expect(planTiles({ imageWidthPx: 512, imageHeightPx: 512, inputTilePx: same.inputTilePx, borderPx: same.marginPx, overlapPx: same.overlapPx, alignPx: 8 })).toHaveLength(1);
    const valid = studioPredictionTiling(PAPER_UNET, 512, 512);
    expect(valid.overlapPx).toBe(0);
    expect(valid.marginPx).toBe(0);
    expect(valid.outputTilePx).toBe(outputSizePx(valid.inputTilePx, PAPER_UNET));
  });
});
