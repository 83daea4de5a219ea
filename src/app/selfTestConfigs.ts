import type { UNetConfig } from '../core/model/unetConfig';
import { PAPER_UNET } from '../core/model/unetConfig';

/** Tiny networks for the engine check: small enough for software GPUs, and together they touch every training kernel. */
export const PARITY_CHECK_UNET: UNetConfig = { ...PAPER_UNET, depth: 2, baseChannels: 8, tileSizePx: 60, dropoutRate: 0.5 };
export const TRAIN_CHECK_UNET: UNetConfig = {
  ...PAPER_UNET, depth: 2, baseChannels: 4, padding: 'same', batchNorm: true, dropoutRate: 0, tileSizePx: 32,
};
export const TRAIN_CHECK_STEPS = 12;
export const TRAIN_CHECK_LEARNING_RATE = 0.01;
