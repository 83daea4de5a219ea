import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { maxAbsDiff } from '../../testUtils/compareArrays';
import { outputSizePx, smallestInputForOutputPx } from '../geometry/tileGeometry';
import { buildUNet } from '../model/buildUNet';
import { rebuildForTileSize } from '../model/rebuildForTileSize';
import { PAPER_UNET } from '../model/unetConfig';
import { mulberry32 } from '../random/mulberry32';
import type { Raster } from '../sampling/raster';
import { planTiles } from './planTiles';
import { blendingWindow, predictTiled, predictTiledRows, type TileModel } from './predictTiled';

function randomImage(width: number, height: number, seed: number): Raster<Float32Array> {
  const random = mulberry32(seed);
  return { data: Float32Array.from({ length: width * height }, () => random() * 2 - 1), width, height, channels: 1 };
}

describe('predictTiled', () => {
  const valid = { ...PAPER_UNET, depth: 2, baseChannels: 4, tileSizePx: 60 }; // 60 -> 20, border 20

  it('valid net: tiles stitched over a 53x37 image equal one pass over the whole mirror-padded image', async () => {
    const model = buildUNet(valid, 5);
    const image = randomImage(53, 37, 1);
    const before = tf.memory().numTensors;
    const streamed: number[] = [];
    const tiled = await predictTiled(model, image, {
      inputTilePx: 60, outputTilePx: 20, marginPx: 0, overlapPx: 0, alignPx: 4,
      // 53 px wide: tiles at 0, 20, 40 (the last one clipped); 37 px high: 0, 20.
      onTile: (_tile, _probs, index, total) => { streamed.push(index); expect(total).toBe(3 * 2); },
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(streamed).toEqual([0, 1, 2, 3, 4, 5]);

    // One tile big enough for the whole image: same weights, larger static input.
    const wholeTile = smallestInputForOutputPx(53, valid);
    const whole = rebuildForTileSize(model, valid, wholeTile);
    const once = await predictTiled(whole.model, image, { inputTilePx: wholeTile, outputTilePx: outputSizePx(wholeTile, valid), marginPx: 0, overlapPx: 0, alignPx: 4 });
    const diff = maxAbsDiff(tiled.data, once.data);
    console.info(`[tiled] valid 53x37, 6 tiles of 60 px vs one ${wholeTile} px pass: max |diff| ${diff.toExponential(2)}`);
    expect(diff).toBeLessThan(1e-5);
    expect(tiled.channels).toBe(2);
    for (let i = 0; i < tiled.data.length; i += 2) expect(tiled.data[i]! + tiled.data[i + 1]!).toBeCloseTo(1, 5);
    model.dispose();
    whole.model.dispose();
  });

  it('test-time augmentation is the mean of the 8 flipped/rotated views, each mapped back', async () => {
    const model = buildUNet(valid, 6);
    const image = randomImage(20, 20, 9);
    const options = { inputTilePx: 60, outputTilePx: 20, marginPx: 0, overlapPx: 0, alignPx: 4 };
    const tta = await predictTiled(model, image, { ...options, testTimeAugmentation: true });
    // Independently: predict each transformed image, transform the answer back, average.
    const transforms = dihedralTransforms(20);
    const mean = new Float32Array(tta.data.length);
    for (const { forward, inverse } of transforms) {
      const view = await predictTiled(model, { ...image, data: permute(image.data, forward, 1) }, options);
      const back = permute(view.data, inverse, 2);
      for (let i = 0; i < mean.length; i++) mean[i] = mean[i]! + back[i]! / transforms.length;
    }
    expect(maxAbsDiff(tta.data, mean)).toBeLessThan(1e-5);
    const plain = await predictTiled(model, image, options);
    expect(maxAbsDiff(plain.data, tta.data)).toBeGreaterThan(1e-4); // the views really differ
    model.dispose();
  });

  it('same net: overlapping, blended tiles whose margins cover the receptive field equal one pass', async () => {
    // Depth 1: each output pixel sees at most 8 px each way, less than the 16 px margin,
    // so tiles never see their own zero padding and must agree with a single pass.
    const same = { ...PAPER_UNET, depth: 1, baseChannels: 4, padding: 'same' as const, tileSizePx: 48 };
    const model = buildUNet(same, 7);
    const image = randomImage(70, 45, 2);
    const tiled = await predictTiled(model, image, { inputTilePx: 48, outputTilePx: 48, marginPx: 16, overlapPx: 4, alignPx: 2 });
    const whole = rebuildForTileSize(model, same, 102);
    const once = await predictTiled(whole.model, image, { inputTilePx: 102, outputTilePx: 102, marginPx: 16, overlapPx: 0, alignPx: 2 });
    const diff = maxAbsDiff(tiled.data, once.data);
    console.info(`[tiled] same 70x45, 48 px tiles, 16 px margins, 4 px blended overlap vs one pass: max |diff| ${diff.toExponential(2)}`);
    expect(diff).toBeLessThan(1e-5);
    model.dispose();
    whole.model.dispose();
  });
});

/** The 8 flips/rotations of an n x n grid as index maps (out[i] = in[map[i]]) with their inverses. */
function dihedralTransforms(n: number): { forward: Int32Array; inverse: Int32Array }[] {
  const maps: Int32Array[] = [];
  for (const flip of [false, true]) {
    for (let turns = 0; turns < 4; turns++) {
      const map = new Int32Array(n * n);
      for (let y = 0; y < n; y++) {
        for (let x = 0; x < n; x++) {
          let sx = x;
          let sy = y;
          for (let t = 0; t < turns; t++) {
            [sx, sy] = [n - 1 - sy, sx];
          }
          if (flip) sx = n - 1 - sx;
          map[y * n + x] = sy * n + sx;
        }
      }
      maps.push(map);
    }
  }
  return maps.map((forward) => {
    const inverse = new Int32Array(forward.length);
    forward.forEach((src, dst) => { inverse[src] = dst; });
    return { forward, inverse };
  });
}

function permute(data: Float32Array, map: Int32Array, channels: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let i = 0; i < map.length; i++) for (let c = 0; c < channels; c++) out[i * channels + c] = data[map[i]! * channels + c]!;
  return out;
}

describe('predictTiled blending', () => {
  it('gives back exactly what every tile agrees on, in every overlap and at the clipped edges (the blending weights sum right everywhere)', async () => {
    // A "network" whose class-1 probability is its input pixel: every tile says the same at a pixel, so any
    // weight missing from or added to the blend would show as a value off the image.
    const identity = {
      numClasses: 2,
      async tileProbabilities(input: Raster<Float32Array>): Promise<Float32Array> {
        const out = new Float32Array(input.width * input.height * 2);
        for (let i = 0; i < input.width * input.height; i++) {
          out[i * 2 + 1] = input.data[i] as number;
          out[i * 2] = 1 - (input.data[i] as number);
        }
        return out;
      },
    };
    const random = mulberry32(5);
    for (const [width, height, overlapPx] of [[157, 93, 16], [64, 200, 24], [40, 40, 0]] as const) {
      const image = { data: Float32Array.from({ length: width * height }, () => random()), width, height, channels: 1 };
      const result = await predictTiled(identity, image, { inputTilePx: 64, outputTilePx: 64, marginPx: 8, overlapPx, alignPx: 8 });
      let worst = 0;
      for (let i = 0; i < width * height; i++) worst = Math.max(worst, Math.abs((result.data[i * 2 + 1] as number) - (image.data[i] as number)));
      expect(worst, `${width}x${height}, overlap ${overlapPx}`).toBeLessThan(1e-6);
    }
  });
});

describe('predictTiledRows', () => {
  /** A model whose every output pixel is random (so each blend weight shows), 3 classes. */
  const randomModel = (seed: number): TileModel => {
    const random = mulberry32(seed);
    return { numClasses: 3, tileProbabilities: async (input) => Float32Array.from({ length: input.width * input.height * 3 }, () => random()) };
  };
  /** The blending as first written: one weighted sum over the whole map, divided at the end. */
  async function wholeMapReference(model: TileModel, image: Raster<Float32Array>, o: { inputTilePx: number; marginPx: number; overlapPx: number; alignPx: number }, tilesRun = Infinity): Promise<Float32Array> {
    const tiles = planTiles({ imageWidthPx: image.width, imageHeightPx: image.height, inputTilePx: o.inputTilePx, borderPx: o.marginPx, overlapPx: o.overlapPx, alignPx: o.alignPx });
    const kept = o.inputTilePx - 2 * o.marginPx;
    const blend = blendingWindow(kept, o.overlapPx);
    const sum = new Float64Array(image.width * image.height * 3);
    const weight = new Float64Array(image.width * image.height);
    for (const [index, tile] of tiles.entries()) {
      const probs = await model.tileProbabilities({ ...image, width: o.inputTilePx, height: o.inputTilePx }, false); // the same random draws as the studio's calls
      for (let y = 0; y < tile.outHeight; y++) for (let x = 0; x < tile.outWidth; x++) {
        const i = (tile.outY + y) * image.width + tile.outX + x;
        const w = blend[y]! * blend[x]!;
        weight[i] = weight[i]! + w;
        if (index >= tilesRun) continue;
        for (let k = 0; k < 3; k++) sum[i * 3 + k] = sum[i * 3 + k]! + w * probs[((y + o.marginPx) * o.inputTilePx + x + o.marginPx) * 3 + k]!;
      }
    }
    return Float32Array.from(sum, (v, j) => (weight[Math.floor(j / 3)]! > 0 ? v / weight[Math.floor(j / 3)]! : 0));
  }

  it('hands over the blended map band by band, top to bottom, equal to summing the whole map', async () => {
    const image = randomImage(150, 131, 3);
    const options = { inputTilePx: 48, outputTilePx: 48, marginPx: 8, overlapPx: 6, alignPx: 2 };
    const reference = await wholeMapReference(randomModel(4), image, options);
    const bands: [number, number][] = [];
    const rows = new Float32Array(reference.length);
    await predictTiledRows(randomModel(4), image, options, (firstRow, data) => {
      bands.push([firstRow, data.length / (150 * 3)]);
      rows.set(data, firstRow * 150 * 3);
    });
    expect(maxAbsDiff(rows, reference)).toBeLessThan(1e-6);
    // Contiguous bands, more than one, covering every row once.
    expect(bands.length).toBeGreaterThan(2);
    bands.reduce((next, [first, count]) => { expect(first).toBe(next); return first + count; }, 0);
    expect(bands.at(-1)![0] + bands.at(-1)![1]).toBe(131);
  });

  it('stopped after some tiles, hands over what was summed and nothing below (as the whole-map sum did)', async () => {
    const image = randomImage(100, 100, 6);
    const options = { inputTilePx: 48, outputTilePx: 48, marginPx: 8, overlapPx: 6, alignPx: 2 };
    let tilesRun = 0;
    const tiled = await predictTiled(randomModel(8), image, { ...options, onTile: () => { tilesRun++; }, shouldStop: () => tilesRun === 5 });
    expect(tilesRun).toBe(5);
    const reference = await wholeMapReference(randomModel(8), image, options, 5);
    expect(maxAbsDiff(tiled.data, reference)).toBeLessThan(1e-6);
    expect(tiled.data.subarray(60 * 100 * 3).every((v) => v === 0)).toBe(true);
  });
});
