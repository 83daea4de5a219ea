import { borderPx, outputSizePx } from '../core/geometry/tileGeometry';
import type { ModelMetadata } from '../core/model/modelMetadata';
import { DEFAULT_NORMALISATION } from '../core/model/modelMetadata';
import type { UNetConfig } from '../core/model/unetConfig';

/**
 * Metadata for a model of `config` as the studio writes it (tile geometry worked out from the config),
 * with `overrides` for what a test cares about: class names, training record, normalisation.
 */
export function testMetadata(config: UNetConfig, overrides: Partial<Omit<ModelMetadata, 'architecture' | 'tile'>> = {}): ModelMetadata {
  return {
    format: 'unet-studio/1',
    architecture: config,
    tile: { inputTilePx: config.tileSizePx, outputTilePx: outputSizePx(config.tileSizePx, config), borderPx: borderPx(config) },
    normalisation: DEFAULT_NORMALISATION,
    classNames: Array.from({ length: config.numClasses }, (_, k) => (k === 0 ? 'background' : `class ${k}`)),
    training: { steps: 0, preset: 'test', finalLoss: null, bestValidationLoss: null, backend: 'cpu', savedAt: '' },
    ...overrides,
  };
}
