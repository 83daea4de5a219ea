import * as tf from '@tensorflow/tfjs';
import { weightedSoftmaxCrossEntropy } from '../../src/core/loss/weightedSoftmaxCrossEntropy';
import { buildUNet } from '../../src/core/model/buildUNet';
import { convLayers } from '../../src/core/model/convLayers';
import { inferenceNetwork, type InferenceNetwork } from '../../src/core/model/inferenceNetwork';
import type { UNetConfig } from '../../src/core/model/unetConfig';
import { FAST_UNET, PAPER_UNET } from '../../src/core/model/unetConfig';
import { outputSizePx } from '../../src/core/geometry/tileGeometry';
import { useWasmBackend } from '../../src/testUtils/wasmBackend';
import { estimateWasmTrainingHeapBytes, largestWasmTrainingTilePx, WASM_TRAINING_BUDGET_BYTES } from '../../src/core/train/trainingMemory';
import { createOptimizer } from '../../src/core/train/createOptimizer';
import type { OptimizerSpec } from '../../src/core/train/optimizerSpec';
import type { BenchCase } from '../benchCase';
import { BenchSkip } from '../benchCase';

/** PyTorch on one thread first (ours runs on one in Node: the same threads, the ratio that counts), two beside it (key@2). */
export function torchPeers(script: string, key: string): Pick<BenchCase, 'peer' | 'extraPeers'> {
  return {
    peer: { name: 'PyTorch CPU, 1 thread', script, key },
    extraPeers: [{ name: 'PyTorch CPU, 2 threads', script, key: `${key}@2` }],
  };
}

const peers = (key: string) => torchPeers('bench/peers/unet_torch.py', key);

/** PyTorch, then onnxruntime-web's wasm on one and two threads: WebAssembly's ceiling on this CPU beside the native one. */
function forwardPeers(key: string): Pick<BenchCase, 'peer' | 'extraPeers'> {
  const torch = peers(key);
  const script = 'bench/peers/onnxruntimeWasm.ts';
  return {
    ...torch,
    extraPeers: [...(torch.extraPeers ?? []), { name: 'onnxruntime-web wasm, 1 thread', script, key, runtime: 'node' }, { name: 'onnxruntime-web wasm, 2 threads', script, key: `${key}@2`, runtime: 'node' }],
  };
}

/** The training rows' optimiser: the studio's SGD with momentum (one op a weight where the backend has the kernel, core/train/fusedOptimizers.ts). */
export const BENCH_OPTIMIZER: OptimizerSpec = { kind: 'sgd-momentum', learningRate: 1e-3, momentum: 0.99 };

/** One optimiser step on one tile with all-background labels (the timing does not depend on them). */
export async function trainStepOnce(model: tf.LayersModel, optimizer: tf.Optimizer, x: tf.Tensor, outputPx: number): Promise<void> {
  const batch = x.shape[0] as number;
  const labels = tf.zeros([batch, outputPx, outputPx], 'int32') as tf.Tensor3D;
  const weights = tf.ones([batch, outputPx, outputPx]) as tf.Tensor3D;
  const loss = optimizer.minimize(() => weightedSoftmaxCrossEntropy(model.apply(x, { training: true }) as tf.Tensor4D, labels, weights), true);
  await loss!.data();
  tf.dispose([loss!, labels, weights]);
}

/** One forward pass of a tile, read back (the timing includes the transfer, as the studio's prediction does). */
export async function forwardOnce(model: tf.LayersModel, x: tf.Tensor): Promise<void> {
  const y = model.predict(x) as tf.Tensor;
  await y.data();
  y.dispose();
}

/** The studio's forward pass when it predicts: batch norm folded, ReLU fused, softmax (core/model/inferenceNetwork). */
export async function studioForwardOnce(network: InferenceNetwork, x: tf.Tensor4D): Promise<void> {
  const y = network.probabilities(x);
  await y.data();
  y.dispose();
}

/** Multiply-adds x 2 of every conv and up-conv, over the real layer sizes (convLayers). */
export function forwardGflop(config: UNetConfig): number {
  return convLayers(config).reduce((flops, l) => flops + 2 * l.appliedSidePx ** 2 * l.kernelPx ** 2 * l.inChannels * l.outChannels, 0) / 1e9;
}

/** The studio refuses a wasm training step the 4 GiB heap cannot hold (EngineSession); so does the bench, instead of crashing the wasm module. */
function assertFitsWasmHeap(config: UNetConfig): void {
  const needed = estimateWasmTrainingHeapBytes(config, 1);
  if (needed <= WASM_TRAINING_BUDGET_BYTES) return;
  throw new BenchSkip(`skipped: needs ~${(needed / 2 ** 30).toFixed(1)} GiB of wasm heap, over the 3.5 GiB the studio plans for of wasm's 4 GiB (measured: out of memory); ` +
    `the largest tile that trains on wasm is ${largestWasmTrainingTilePx(config, 1)} px (next row)`);
}

function modelCases(prefix: string, config: UNetConfig, minRuns: number, trainOnly = false): BenchCase[] {
  let model: tf.LayersModel | null = null;
  let x: tf.Tensor4D | null = null;
  let optimizer: tf.Optimizer | null = null;
  let network: InferenceNetwork | null = null;
  const out = outputSizePx(config.tileSizePx, config);
  const setup = async () => {
    await useWasmBackend();
    if (!model) {
      model = buildUNet(config, 1);
      network = inferenceNetwork(model, config);
      x = tf.randomNormal([1, config.tileSizePx, config.tileSizePx, 1]) as tf.Tensor4D;
      optimizer = createOptimizer(BENCH_OPTIMIZER);
    }
  };
  const gflop = forwardGflop(config);
  const cases: BenchCase[] = trainOnly ? [] : [{
    id: `${prefix}-forward`,
    group: 'model (tfjs wasm backend in Node, 1 thread)',
    description: `forward pass as the studio predicts (batch norm folded, ReLU fused, softmax), ${config.padding} U-Net, ${config.baseChannels} base channels, ${config.tileSizePx} px tile (${gflop.toFixed(1)} GFLOP); PyTorch in eval mode`,
    setup,
    minRuns,
    run: () => studioForwardOnce(network!, x!),
    ...forwardPeers(`${prefix}-forward`),
  }, {
    id: `${prefix}-forward-layers`,
    group: 'model (tfjs wasm backend in Node, 1 thread)',
    description: 'the same forward pass through the tfjs layers model (batch norm and ReLU as layers; logits), as before folding',
    setup,
    minRuns,
    run: () => forwardOnce(model!, x!),
    ...peers(`${prefix}-forward`),
  }];
  {
    cases.push({
      id: `${prefix}-train-step`,
      group: 'model (tfjs wasm backend in Node, 1 thread)',
      description: trainOnly
        ? `training step (forward, backward, SGD momentum), ${config.padding} U-Net, ${config.baseChannels} base channels, ${config.tileSizePx} px tile: the largest that fits the wasm heap (${(3 * gflop).toFixed(1)} GFLOP, 3x forward)`
        : `training step (forward, backward, SGD momentum), same network and tile`,
      async setup() {
        assertFitsWasmHeap(config);
        await setup();
      },
      minRuns,
      run: () => trainStepOnce(model!, optimizer!, x!, out),
      ...peers(`${prefix}-train-step`),
    });
  }
  return cases;
}

export const cases: BenchCase[] = [
  ...modelCases('fast-256', FAST_UNET, 3),
  ...modelCases('paper-572', PAPER_UNET, 1),
  ...modelCases(`paper-${largestWasmTrainingTilePx(PAPER_UNET, 1)}`, { ...PAPER_UNET, tileSizePx: largestWasmTrainingTilePx(PAPER_UNET, 1) ?? 0 }, 1, true),
];
