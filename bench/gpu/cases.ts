/**
 * The GPU bench's rows: forward pass and training step of the studio's presets, and tiled
 * prediction as the studio runs it (prediction tile from the memory budget, margins and overlap as
 * EngineSession.predict), all on whatever tfjs backend is active (webgpu here).
 */
import * as tf from '@tensorflow/tfjs';
import { outputSizePx } from '../../src/core/geometry/tileGeometry';
import { buildUNet } from '../../src/core/model/buildUNet';
import { rebuildForTileSize } from '../../src/core/model/rebuildForTileSize';
import type { UNetConfig } from '../../src/core/model/unetConfig';
import { choosePredictionTilePx, predictionMarginPx } from '../../src/core/predict/choosePredictionTile';
import { planTiles } from '../../src/core/predict/planTiles';
import { predictTiled } from '../../src/core/predict/predictTiled';
import { mulberry32 } from '../../src/core/random/mulberry32';
import { forwardGflop, forwardOnce, trainStepOnce } from '../cases/model';

export interface GpuCase {
  readonly id: string;
  readonly group: string;
  readonly description: string;
  /** Timed runs at least. */
  readonly minRuns: number;
  setup(): Promise<void>;
  /** One timed run; returns the GFLOP it did (for GFLOP/s), if known. */
  run(): Promise<number | undefined>;
  /** Untimed first run that compiles the shaders; `run` when absent. */
  warmUp?(): Promise<void>;
  /** Frees what setup made (GPU memory is not unlimited across rows). */
  teardown(): void;
}

/**
 * Training step cost as 3x the forward pass: the backward pass needs the input gradient and the
 * weight gradient of every conv, each about one forward's multiply-adds. The usual convention;
 * the first layer's unneeded input gradient and the loss are ignored.
 */
export const TRAIN_STEP_FORWARD_MULTIPLE = 3;

/** Forward and training step of one preset at one tile, ids as bench/cases/model.ts (`fast-256-forward`, ...). */
export function modelCases(prefix: string, config: UNetConfig, minRuns: number, group: string): GpuCase[] {
  let model: tf.LayersModel | null = null;
  let x: tf.Tensor4D | null = null;
  let optimizer: tf.Optimizer | null = null;
  const out = outputSizePx(config.tileSizePx, config);
  const gflop = forwardGflop(config);
  const setup = async () => {
    if (!model) {
      model = buildUNet(config, 1);
      x = tf.randomNormal([1, config.tileSizePx, config.tileSizePx, config.inputChannels]) as tf.Tensor4D;
      optimizer = tf.train.momentum(1e-3, 0.99);
    }
  };
  const teardown = () => {
    model?.dispose();
    x?.dispose();
    optimizer?.dispose();
    model = null;
    x = null;
    optimizer = null;
  };
  return [
    {
      id: `${prefix}-forward`,
      group,
      description: `forward pass, ${config.padding} U-Net, ${config.baseChannels} base channels, ${config.tileSizePx} px tile (${gflop.toFixed(1)} GFLOP)`,
      minRuns,
      setup,
      async run() {
        await forwardOnce(model!, x!);
        return gflop;
      },
      teardown() { /* the training step row reuses the model; it tears down */ },
    },
    {
      id: `${prefix}-train-step`,
      group,
      description: `training step (forward, backward, SGD momentum), same network and tile (~${(TRAIN_STEP_FORWARD_MULTIPLE * gflop).toFixed(1)} GFLOP, 3x forward)`,
      minRuns,
      setup,
      async run() {
        await trainStepOnce(model!, optimizer!, x!, out);
        return TRAIN_STEP_FORWARD_MULTIPLE * gflop;
      },
      teardown,
    },
  ];
}

/** A deterministic grey image in [0, 1) (content does not change the time). */
function testImage(sizePx: number): Float32Array {
  const random = mulberry32(sizePx);
  const data = new Float32Array(sizePx * sizePx);
  for (let i = 0; i < data.length; i++) data[i] = random();
  return data;
}

/**
 * Tiled prediction of a square image as the studio does it (EngineSession.predict): the largest
 * prediction tile within the default memory budget (or `maxTilePx` if given, for quick runs),
 * margins and overlap for same nets, no test-time augmentation. Softmax, read-back and blending
 * are timed too.
 */
export function tiledPredictionCase(name: string, config: UNetConfig, imagePx: number, minRuns: number, group: string, maxTilePx?: number): GpuCase {
  let trained: tf.LayersModel | null = null;
  let sized: { model: tf.LayersModel; config: UNetConfig } | null = null;
  const image = testImage(imagePx);
  const chosen = choosePredictionTilePx(config, imagePx, imagePx);
  const tilePx = maxTilePx !== undefined && maxTilePx < chosen ? Math.max(config.tileSizePx, maxTilePx) : chosen;
  const alignPx = 2 ** config.depth;
  const marginPx = predictionMarginPx(config, tilePx);
  const outputTilePx = outputSizePx(tilePx, config);
  const overlapPx = config.padding === 'same' ? alignPx : 0;
  const tileCount = planTiles({
    imageWidthPx: imagePx,
    imageHeightPx: imagePx,
    inputTilePx: tilePx,
    borderPx: (tilePx - outputTilePx) / 2 + marginPx,
    overlapPx,
    alignPx,
  }).length;
  const gflop = tileCount * forwardGflop({ ...config, tileSizePx: tilePx });
  return {
    id: `predict-tiled-${imagePx}-${name}`,
    group,
    description: `tiled prediction of a ${imagePx}x${imagePx} image, ${name} preset (${config.padding}, ${config.baseChannels} base channels), ${tileCount} tiles of ${tilePx} px (${gflop.toFixed(1)} GFLOP), softmax and blending, no TTA`,
    minRuns,
    async setup() {
      if (!sized) {
        trained = buildUNet(config, 1);
        sized = tilePx === config.tileSizePx ? { model: trained, config } : rebuildForTileSize(trained, config, tilePx);
      }
    },
    async run() {
      await predictTiled(sized!.model, { data: image, width: imagePx, height: imagePx, channels: 1 }, {
        inputTilePx: tilePx,
        outputTilePx,
        marginPx,
        overlapPx,
        alignPx,
      });
      return gflop;
    },
    async warmUp() {
      // One tile through the same ops as predictTiled (predict, softmax, read-back) compiles every
      // shader a full prediction uses, without paying for a whole untimed prediction.
      const probs = tf.tidy(() => tf.softmax(sized!.model.predict(tf.zeros([1, tilePx, tilePx, config.inputChannels])) as tf.Tensor4D, -1));
      await probs.data();
      probs.dispose();
    },
    teardown() {
      if (sized && sized.model !== trained) sized.model.dispose();
      trained?.dispose();
      trained = null;
      sized = null;
    },
  };
}
