import type { ConvPadding } from '../geometry/tileGeometry';
import { isValidInputSizePx, outputSizePx } from '../geometry/tileGeometry';
import { invalidConfig } from '../errors';

/** 'unet': Ronneberger et al. 2015; 'unetpp': UNet++ (Zhou et al. 2018), nested dense skips. */
export type Architecture = 'unet' | 'unetpp';

/** Everything that fixes a network's layers and tile size. Plain data: it travels to workers and into model metadata. */
export interface UNetConfig {
  readonly architecture: Architecture;
  /** Number of 2x2 max-pool steps (the paper: 4). */
  readonly depth: number;
  /** Channels of the first level; doubled at each level down (the paper: 64). */
  readonly baseChannels: number;
  readonly padding: ConvPadding;
  readonly inputChannels: number;
  readonly numClasses: number;
  /** Dropout after the last contracting block and the bottom block (the paper's "end of the contracting path"). */
  readonly dropoutRate: number;
  /** Batch norm after every 3x3 conv; only offered with "same" padding, as the paper has none. */
  readonly batchNorm: boolean;
  /** Side of the square input tile, in pixels. Must be valid for the geometry. */
  readonly tileSizePx: number;
  /** UNet++ only: a head on every top node X(0,1..depth), trained on their mean loss; else one head on X(0,depth). */
  readonly deepSupervision?: boolean;
}

/** Deep supervision as it applies: never for a U-Net, off when unset. */
export function hasDeepSupervision(config: UNetConfig): boolean {
  return config.architecture === 'unetpp' && config.deepSupervision === true;
}

/** Levels a model can be pruned to (pruneUNetPlusPlus): 1..depth for a UNet++ with deep supervision, none (0) otherwise. */
export function pruneLevelsOf(config: UNetConfig): number {
  return hasDeepSupervision(config) ? config.depth : 0;
}

/** The same layers (and so the same weights), whatever the tile size: field by field, not by key order. */
export function sameNetwork(a: UNetConfig, b: UNetConfig): boolean {
  return a.architecture === b.architecture && hasDeepSupervision(a) === hasDeepSupervision(b) && a.depth === b.depth && a.baseChannels === b.baseChannels && a.padding === b.padding &&
    a.inputChannels === b.inputChannels && a.numClasses === b.numClasses && a.dropoutRate === b.dropoutRate && a.batchNorm === b.batchNorm;
}

/** The paper's network: 23 conv layers, 572 -> 388, 31.0 M parameters for one grey channel and 2 classes. */
export const PAPER_UNET: UNetConfig = {
  architecture: 'unet',
  depth: 4,
  baseChannels: 64,
  padding: 'valid',
  inputChannels: 1,
  numClasses: 2,
  dropoutRate: 0.5,
  batchNorm: false,
  tileSizePx: 572,
};

/** A quick-iteration network: a quarter of the channels, same padding and batch norm. */
export const FAST_UNET: UNetConfig = {
  architecture: 'unet',
  depth: 4,
  baseChannels: 16,
  padding: 'same',
  inputChannels: 1,
  numClasses: 2,
  dropoutRate: 0.2,
  batchNorm: true,
  tileSizePx: 256,
};

export function channelsAtLevel(config: UNetConfig, level: number): number {
  return config.baseChannels * 2 ** level;
}

/** Throws a clear error for any setting the builder cannot honour. */
export function validateUNetConfig(config: UNetConfig): void {
  const positiveInt = (value: number, what: string, max: number) => {
    if (!Number.isInteger(value) || value < 1 || value > max) {
      throw invalidConfig(`${what} must be a whole number from 1 to ${max} (got ${value}).`);
    }
  };
  positiveInt(config.depth, 'Depth', 8);
  positiveInt(config.baseChannels, 'Base channels', 1024);
  positiveInt(config.inputChannels, 'Input channels', 64);
  if (!Number.isInteger(config.numClasses) || config.numClasses < 2 || config.numClasses > 256) {
    throw invalidConfig(`Number of classes must be from 2 to 256, background included (got ${config.numClasses}).`);
  }
  if (!(config.dropoutRate >= 0 && config.dropoutRate < 1)) {
    throw invalidConfig(`Dropout rate must be in [0, 1) (got ${config.dropoutRate}).`);
  }
  if (config.batchNorm && config.padding === 'valid') {
    throw invalidConfig('Batch norm is offered only with "same" padding; the paper\'s valid U-Net has none.');
  }
  if (config.architecture === 'unetpp' && config.padding !== 'same') {
    throw invalidConfig('UNet++ is built with "same" padding, as its reference implementation.');
  }
  if (!isValidInputSizePx(config.tileSizePx, config)) outputSizePx(config.tileSizePx, config); // throws with the nearest sizes
}
