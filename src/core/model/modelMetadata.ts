import type { Normalisation } from '../image/normaliseImage';
import type { UNetConfig } from './unetConfig';

export type { Normalisation } from '../image/normaliseImage';
export { DEFAULT_NORMALISATION } from '../image/normaliseImage';

/** Written into model.json's userDefinedMetadata under `unetStudio`, and beside it as metadata.json. */
export interface ModelMetadata {
  readonly format: 'unet-studio/1';
  readonly architecture: UNetConfig;
  /** Set when this is a UNet++ pruned to a level: the architecture is then the depth-`level` network with one head. */
  readonly pruning?: { readonly level: number; readonly fullDepth: number };
  readonly tile: { readonly inputTilePx: number; readonly outputTilePx: number; readonly borderPx: number };
  readonly normalisation: Normalisation;
  /** Index = class id; 0 is background. */
  readonly classNames: readonly string[];
  readonly training: {
    readonly steps: number;
    readonly preset: string;
    readonly finalLoss: number | null;
    readonly bestValidationLoss: number | null;
    readonly backend: string;
    readonly savedAt: string;
  };
}
