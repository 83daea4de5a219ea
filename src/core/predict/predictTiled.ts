import * as tf from '@tensorflow/tfjs';
import { invalidConfig } from '../errors';
import { headProbabilities } from '../model/headOutputs';
import { cropMirrored } from '../sampling/cropMirrored';
import type { Raster } from '../sampling/raster';
import type { Tile } from './planTiles';
import { planTiles } from './planTiles';

export interface TiledPredictionOptions {
  /** Network input side; the model's own input size. */
  readonly inputTilePx: number;
  /** Network output side for that input (input - 2 * border for valid nets, input for same). */
  readonly outputTilePx: number;
  /**
   * Output pixels discarded on each side of every tile. 0 for valid nets (their output has full
   * context). For same nets a margin hides the zero-padding artefacts at tile edges.
   */
  readonly marginPx: number;
  /** Overlap of neighbouring kept areas; overlapping predictions are blended. */
  readonly overlapPx: number;
  /** 2^depth: tiles start on the pooling grid, margins must be multiples of it. */
  readonly alignPx: number;
  /** Average over the 8 flips/90-degree rotations of each tile (test-time augmentation). */
  readonly testTimeAugmentation?: boolean;
  /** Called as each tile finishes, with its class probabilities (outHeight x outWidth x K): the live overlay. */
  readonly onTile?: (tile: Tile, probabilities: Float32Array, index: number, total: number) => void | Promise<void>;
  /** Checked between tiles; return true to stop early (the result so far is returned). */
  /** Ends after the tile in flight; the pixels of tiles not run are 0 and their neighbours' blending is not complete. */
  readonly shouldStop?: () => boolean;
}

/**
 * A network outside tfjs's layers API (a third-party ONNX or tfjs graph model): it gives one tile's
 * class probabilities (outHeight x outWidth x numClasses) itself, averaged over the 8 dihedral views
 * when asked to.
 */
export interface TileModel {
  readonly numClasses: number;
  tileProbabilities(input: Raster<Float32Array>, testTimeAugmentation: boolean): Promise<Float32Array>;
}

const isTileModel = (model: tf.LayersModel | TileModel): model is TileModel => 'tileProbabilities' in model;

/**
 * Overlap-tile prediction (the paper's Fig. 2): class probabilities for an image of any size.
 * Input context past the image border is mirrored in. For valid networks the result equals one
 * pass over the whole (mirror-padded) image up to float error; for same networks overlapping
 * tiles are blended with weights that fall towards the tile edges.
 */
export async function predictTiled(model: tf.LayersModel | TileModel, image: Raster<Float32Array>, options: TiledPredictionOptions): Promise<Raster<Float32Array>> {
  const numClasses = numClassesOf(model);
  const data = new Float32Array(image.width * image.height * numClasses);
  await predictTiledRows(model, image, options, (firstRow, rows) => data.set(rows, firstRow * image.width * numClasses));
  return { data, width: image.width, height: image.height, channels: numClasses };
}

/** Finished rows of the blended map: rows.length / (width * numClasses) rows from firstRow on, (row x width x numClasses). */
export type OnRows = (firstRow: number, rows: Float32Array) => void;

/**
 * predictTiled without the whole map: the blended probabilities are handed to `onRows` a band at a
 * time, top to bottom, as soon as no later tile reaches them. Memory is one band of tile rows
 * (a 20000 px slice's whole map is 3.2 GB as Float32; its band 123 MB). When stopped early, the
 * band in flight is handed over as far as it got and the rows below are never handed over.
 */
export async function predictTiledRows(model: tf.LayersModel | TileModel, image: Raster<Float32Array>, options: TiledPredictionOptions, onRows: OnRows): Promise<void> {
  const { inputTilePx, outputTilePx, marginPx, overlapPx } = options;
  const netBorderPx = (inputTilePx - outputTilePx) / 2;
  const keptPx = outputTilePx - 2 * marginPx;
  if (!Number.isInteger(netBorderPx) || keptPx < 1) {
    throw invalidConfig(`Tile sizes do not fit: input ${inputTilePx} px, output ${outputTilePx} px, margin ${marginPx} px.`);
  }
  if (marginPx % options.alignPx !== 0) {
    throw invalidConfig(`The tile margin (${marginPx} px) must be a multiple of the pooling grid (${options.alignPx} px).`);
  }
  const numClasses = numClassesOf(model);
  // A layers model as a TileModel too: one path through the tile loop.
  const net = isTileModel(model) ? model : tensorTileModel(numClasses, (x) => headProbabilities(model, x));
  const { width } = image;
  const tiles = planTiles({
    imageWidthPx: width,
    imageHeightPx: image.height,
    inputTilePx,
    borderPx: netBorderPx + marginPx,
    overlapPx,
    alignPx: options.alignPx,
  });
  const blend = blendingWindow(keptPx, overlapPx);
  // The tiles form a full grid (every row of tiles has every column), so the summed blending weight at (x, y)
  // is columnWeight[x] * rowWeight[y]: two lines instead of a float per pixel (1.6 GB on a 20000 px slice).
  const columnWeight = new Float64Array(width);
  const rowWeight = new Float64Array(image.height);
  for (const tile of tiles) {
    if (tile.outY === tiles[0]?.outY) for (let x = 0; x < tile.outWidth; x++) columnWeight[tile.outX + x] = (columnWeight[tile.outX + x] as number) + (blend[x] as number);
    if (tile.outX === tiles[0]?.outX) for (let y = 0; y < tile.outHeight; y++) rowWeight[tile.outY + y] = (rowWeight[tile.outY + y] as number) + (blend[y] as number);
  }

  // The weighted sums of rows bandY .. bandY + keptPx - 1: every tile of the current tile row lies in it.
  const rowValues = width * numClasses;
  const band = new Float32Array(keptPx * rowValues);
  let bandY = tiles[0]?.outY ?? 0;
  /** Divides rows bandY .. untilRow - 1 by their weights, hands them over, and moves the band down to untilRow. */
  const release = (untilRow: number) => {
    const rowCount = Math.min(untilRow, image.height) - bandY;
    if (rowCount <= 0) return;
    const done = band.slice(0, rowCount * rowValues);
    for (let y = 0; y < rowCount; y++) {
      for (let x = 0; x < width; x++) {
        const w = (rowWeight[bandY + y] as number) * (columnWeight[x] as number);
        const i = y * rowValues + x * numClasses;
        if (w > 0) for (let k = 0; k < numClasses; k++) done[i + k] = (done[i + k] as number) / w;
      }
    }
    onRows(bandY, done);
    band.copyWithin(0, rowCount * rowValues);
    band.fill(0, band.length - rowCount * rowValues);
    bandY += rowCount;
  };

  for (const [index, tile] of tiles.entries()) {
    if (options.shouldStop?.()) {
      release(bandY + keptPx);
      return;
    }
    // A new row of tiles: the rows above it are final.
    if (tile.outY > bandY) release(tile.outY);
    const input = cropMirrored(image, { x: tile.inputX, y: tile.inputY, width: inputTilePx, height: inputTilePx });
    const tta = options.testTimeAugmentation ?? false;
    const probs = await net.tileProbabilities(input, tta);
    // The kept area starts marginPx into the network output.
    const kept = new Float32Array(tile.outWidth * tile.outHeight * numClasses);
    for (let y = 0; y < tile.outHeight; y++) {
      for (let x = 0; x < tile.outWidth; x++) {
        const src = ((y + marginPx) * outputTilePx + x + marginPx) * numClasses;
        const dst = (tile.outY - bandY + y) * rowValues + (tile.outX + x) * numClasses;
        const w = (blend[y] as number) * (blend[x] as number);
        for (let k = 0; k < numClasses; k++) {
          const p = probs[src + k] as number;
          kept[(y * tile.outWidth + x) * numClasses + k] = p;
          band[dst + k] = (band[dst + k] as number) + w * p;
        }
      }
    }
    await options.onTile?.(tile, kept, index, tiles.length);
  }
  release(image.height);
}

const numClassesOf = (model: tf.LayersModel | TileModel): number =>
  isTileModel(model) ? model.numClasses : (model.outputs[0]?.shape[3] ?? 0) as number;

/**
 * A network given as a function from images to class probabilities (tensors), as a TileModel: the
 * studio's own nets with batch norm folded (core/model/inferenceNetwork).
 */
export function tensorTileModel(numClasses: number, probabilitiesOf: (images: tf.Tensor4D) => tf.Tensor4D): TileModel {
  return { numClasses, tileProbabilities: (input, tta) => tileProbabilities(probabilitiesOf, input, tta) };
}

/** Softmax probabilities of one input tile, optionally averaged over the 8 dihedral transforms. */
async function tileProbabilities(probabilitiesOf: (images: tf.Tensor4D) => tf.Tensor4D, input: Raster<Float32Array>, tta: boolean): Promise<Float32Array> {
  const result = tf.tidy(() => {
    const x = tf.tensor4d(input.data, [1, input.height, input.width, input.channels]);
    if (!tta) return probabilitiesOf(x);
    const views: tf.Tensor4D[] = [];
    for (const flip of [false, true]) {
      const base = flip ? tf.reverse(x, 2) : x;
      for (let quarterTurns = 0; quarterTurns < 4; quarterTurns++) {
        const probs = probabilitiesOf(rot90(base, quarterTurns));
        const back = rot90(probs, (4 - quarterTurns) % 4);
        views.push(flip ? tf.reverse(back, 2) : back);
      }
    }
    return tf.div(tf.addN(views), views.length);
  });
  const data = (await result.data()) as Float32Array;
  result.dispose();
  return data;
}

/** Rotates [B, H, W, C] by quarter turns counter-clockwise in the image plane. */
function rot90<T extends tf.Tensor4D>(x: T, quarterTurns: number): T {
  let y: tf.Tensor4D = x;
  for (let i = 0; i < quarterTurns; i++) y = tf.reverse(tf.transpose(y, [0, 2, 1, 3]), 1);
  return y as T;
}

/** 1-D blending weights over a kept tile: 1 in the middle, ramping down across the overlap. */
export function blendingWindow(keptPx: number, overlapPx: number): Float32Array {
  const w = new Float32Array(keptPx).fill(1);
  if (overlapPx === 0) return w;
  for (let i = 0; i < keptPx; i++) {
    const fromEdge = Math.min(i, keptPx - 1 - i);
    if (fromEdge < overlapPx) w[i] = (fromEdge + 1) / (overlapPx + 1);
  }
  return w;
}
