import * as tf from '@tensorflow/tfjs';
import { buildUNet } from '../../src/core/model/buildUNet';
import { countParameters } from '../../src/core/model/countParameters';
import { headProbabilities } from '../../src/core/model/headOutputs';
import { pruneUNetPlusPlus } from '../../src/core/model/pruneUNetPlusPlus';
import type { UNetConfig } from '../../src/core/model/unetConfig';
import { FAST_UNET } from '../../src/core/model/unetConfig';
import { useWasmBackend } from '../../src/testUtils/wasmBackend';
import type { BenchCase } from '../benchCase';
import { forwardGflop, torchPeers } from './model';

/**
 * UNet++ pruning (issue 15): the forward pass of a UNet++ at the reference widths (32 base channels,
 * depth 4, same padding, no batch norm, 256 px tile) pruned to each level L1-L4, beside the full
 * network with deep supervision (every head, probabilities averaged: the studio's "accurate" mode)
 * and the same-padded U-Net of the same widths. The UNet++ paper: L3 cuts inference time by 32 %
 * for -0.6 IoU. Parameters per row come from countParameters (equal to PyTorch's, docs/unetpp.md). Peers:
 * the same networks in PyTorch (bench/peers/unetpp_torch.py), on one thread and on two.
 */
const TILE_PX = 256;
const peers = (key: string) => torchPeers('bench/peers/unetpp_torch.py', key);
const UNET: UNetConfig = { ...FAST_UNET, baseChannels: 32, batchNorm: false, dropoutRate: 0, tileSizePx: TILE_PX };
const UNETPP: UNetConfig = { ...UNET, architecture: 'unetpp', deepSupervision: true };
const GROUP = 'UNet++ pruning (tfjs wasm backend in Node, 1 thread)';

let full: tf.LayersModel | null = null;
let input: tf.Tensor4D | null = null;

async function setupFull(): Promise<void> {
  await useWasmBackend();
  full ??= buildUNet(UNETPP, 1);
  input ??= tf.randomNormal([1, TILE_PX, TILE_PX, 1]) as tf.Tensor4D;
}

async function probabilitiesOnce(model: tf.LayersModel): Promise<void> {
  const p = headProbabilities(model, input!);
  await p.data();
  p.dispose();
}

const parameters = (config: UNetConfig) => `${(countParameters(config) / 1e6).toFixed(2)} M parameters`;

function levelCase(level: number): BenchCase {
  let pruned: tf.LayersModel | null = null;
  const config = { ...UNETPP, depth: level, deepSupervision: false };
  return {
    id: `unetpp-L${level}-forward`,
    group: GROUP,
    description: `UNet++ pruned to level ${level}: forward pass + softmax, ${TILE_PX} px tile, ${parameters(config)}, ${forwardGflop(config).toFixed(1)} GFLOP`,
    minRuns: 3,
    async setup() {
      await setupFull();
      pruned ??= pruneUNetPlusPlus(full!, UNETPP, level).model;
    },
    run: () => probabilitiesOnce(pruned!),
    ...peers(`unetpp-L${level}-forward`),
  };
}

let unet: tf.LayersModel | null = null;

export const cases: BenchCase[] = [
  {
    id: 'unetpp-full-forward',
    group: GROUP,
    description: `UNet++ depth 4, every head averaged (deep supervision, "accurate"): forward pass, ${TILE_PX} px tile, ${parameters(UNETPP)}, ${forwardGflop(UNETPP).toFixed(1)} GFLOP`,
    minRuns: 3,
    setup: setupFull,
    run: () => probabilitiesOnce(full!),
    ...peers('unetpp-full-forward'),
  },
  ...[1, 2, 3, 4].map(levelCase),
  {
    id: 'unetpp-unet-same-32-forward',
    group: GROUP,
    description: `the same-padded U-Net of the same widths (32 base channels, depth 4): forward pass + softmax, ${TILE_PX} px tile, ${parameters(UNET)}, ${forwardGflop(UNET).toFixed(1)} GFLOP`,
    minRuns: 3,
    async setup() {
      await setupFull();
      unet ??= buildUNet(UNET, 1);
    },
    run: () => probabilitiesOnce(unet!),
    ...peers('unetpp-unet-same-32-forward'),
  },
];
