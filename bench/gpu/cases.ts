/**
 * The GPU bench's rows: forward pass and training step of the studio's presets, and tiled
 * prediction as the studio runs it (prediction tile from the memory budget, margins and overlap as
 * EngineSession.predict; the network with batch norm folded, as predictingNetwork gives the engine),
 * all on whatever tfjs backend is active (webgpu here). The forward pass is timed both ways: folded,
 * as the studio predicts, and through the layers model (`-forward-layers`), as before folding.
 */
import * as tf from '@tensorflow/tfjs';
import { outputSizePx } from '../../src/core/geometry/tileGeometry';
import { buildUNet } from '../../src/core/model/buildUNet';
import { rebuildForTileSize } from '../../src/core/model/rebuildForTileSize';
import type { UNetConfig } from '../../src/core/model/unetConfig';
import type { OptimizerSpec } from '../../src/core/train/optimizerSpec';
import { choosePredictionTilePx, predictionMarginPx } from '../../src/core/predict/choosePredictionTile';
import { planTiles } from '../../src/core/predict/planTiles';
import { predictingNetwork } from '../../src/core/predict/predictingNetwork';
import { predictTiled } from '../../src/core/predict/predictTiled';
import { inferenceNetwork, type InferenceNetwork } from '../../src/core/model/inferenceNetwork';
import { mulberry32 } from '../../src/core/random/mulberry32';
import { createOptimizer } from '../../src/core/train/createOptimizer';
import { BENCH_OPTIMIZER, forwardGflop, forwardOnce, studioForwardOnce, trainStepOnce } from '../cases/model';

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
  let network: InferenceNetwork | null = null;
  let x: tf.Tensor4D | null = null;
  let optimizer: tf.Optimizer | null = null;
  const out = outputSizePx(config.tileSizePx, config);
  const gflop = forwardGflop(config);
  const setup = async () => {
    if (!model) {
      model = buildUNet(config, 1);
      network = inferenceNetwork(model, config);
      x = tf.randomNormal([1, config.tileSizePx, config.tileSizePx, config.inputChannels]) as tf.Tensor4D;
      optimizer = createOptimizer(BENCH_OPTIMIZER);
    }
  };
  const teardown = () => {
    model?.dispose();
    network?.dispose();
    x?.dispose();
    optimizer?.dispose();
    model = null;
    network = null;
    x = null;
    optimizer = null;
  };
  const keep = () => { /* the training step row reuses the model; it tears down */ };
  return [
    {
      id: `${prefix}-forward`,
      group,
      description: `forward pass as the studio predicts (batch norm folded, ReLU fused, softmax), ${config.padding} U-Net, ${config.baseChannels} base channels, ${config.tileSizePx} px tile (${gflop.toFixed(1)} GFLOP)`,
      minRuns,
      setup,
      async run() {
        // inferenceNetwork declines only layouts the config does not describe; buildUNet's never are.
        if (!network) throw new Error(`The ${prefix} network could not be folded for prediction.`);
        await studioForwardOnce(network, x!);
        return gflop;
      },
      teardown: keep,
    },
    {
      id: `${prefix}-forward-layers`,
      group,
      description: 'the same forward pass through the tfjs layers model (batch norm and ReLU as layers; logits), as before folding',
      minRuns,
      setup,
      async run() {
        await forwardOnce(model!, x!);
        return gflop;
      },
      teardown: keep,
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

/**
 * A training step on a batch of tiles (the fast preset trains on batches of 2 in the studio): on a large GPU one
 * tile leaves most of it idle and the step's time is mostly dispatching, so the time per tile falls with the batch.
 * With `studio`, the row is the studio's own step for the preset (its optimiser, e.g. the fast preset's Adam).
 */
export function batchTrainStepCase(prefix: string, config: UNetConfig, batch: number, minRuns: number, group: string, studio?: { optimizer: OptimizerSpec; preset: string }): GpuCase {
  let model: tf.LayersModel | null = null;
  let x: tf.Tensor4D | null = null;
  let optimizer: tf.Optimizer | null = null;
  const gflop = batch * TRAIN_STEP_FORWARD_MULTIPLE * forwardGflop(config);
  const shape = `a batch of ${batch} tiles of ${config.tileSizePx} px, ${config.padding} U-Net, ${config.baseChannels} base channels (~${gflop.toFixed(1)} GFLOP)`;
  return {
    id: studio ? `${prefix}-studio-train-step` : `${prefix}-batch${batch}-train-step`,
    group,
    description: studio
      ? `the studio's ${studio.preset}-preset training step: ${shape}, ${studio.optimizer.kind === 'adam' ? 'Adam' : 'SGD momentum'}`
      : `training step on ${shape}`,
    minRuns,
    async setup() {
      model = buildUNet(config, 1);
      x = tf.randomNormal([batch, config.tileSizePx, config.tileSizePx, config.inputChannels]) as tf.Tensor4D;
      optimizer = createOptimizer(studio?.optimizer ?? BENCH_OPTIMIZER);
    },
    async run() {
      await trainStepOnce(model!, optimizer!, x!, outputSizePx(config.tileSizePx, config));
      return gflop;
    },
    teardown() {
      tf.dispose([x!]);
      model?.dispose();
      optimizer?.dispose();
      model = null;
      x = null;
      optimizer = null;
    },
  };
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
  let predicting: ReturnType<typeof predictingNetwork> | null = null;
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
    description: `tiled prediction of a ${imagePx}x${imagePx} image, ${name} preset (${config.padding}, ${config.baseChannels} base channels), ${tileCount} tiles of ${tilePx} px (${gflop.toFixed(1)} GFLOP), batch norm folded as the studio predicts, softmax and blending, no TTA`,
    minRuns,
    async setup() {
      if (!sized) {
        trained = buildUNet(config, 1);
        sized = tilePx === config.tileSizePx ? { model: trained, config } : rebuildForTileSize(trained, config, tilePx);
        predicting = predictingNetwork(sized.model, sized.config);
      }
    },
    async run() {
      await predictTiled(predicting!.net, { data: image, width: imagePx, height: imagePx, channels: 1 }, {
        inputTilePx: tilePx,
        outputTilePx,
        marginPx,
        overlapPx,
        alignPx,
      });
      return gflop;
    },
    async warmUp() {
      // One tile through the network predictTiled runs (folded forward, softmax, read-back) compiles every
      // shader a full prediction uses, without paying for a whole untimed prediction.
      const net = predicting!.net;
      const tile = { data: new Float32Array(tilePx * tilePx * config.inputChannels), width: tilePx, height: tilePx, channels: config.inputChannels };
      if ('tileProbabilities' in net) await net.tileProbabilities(tile, false);
      else {
        const zeros = tf.zeros([1, tilePx, tilePx, config.inputChannels]);
        await forwardOnce(net, zeros);
        zeros.dispose();
      }
    },
    teardown() {
      predicting?.dispose();
      predicting = null;
      if (sized && sized.model !== trained) sized.model.dispose();
      trained?.dispose();
      trained = null;
      sized = null;
    },
  };
}
