import type { UNetConfig } from './unetConfig';

/** How raw pixels become network input; recorded so predictions on new images do the same. */
export type Normalisation =
  /** Per image and channel: the low..high percentiles map to 0..1 (robust for 16-bit microscopy). */
  | { readonly kind: 'percentile'; readonly lowPercent: number; readonly highPercent: number }
  /** Per image and channel: subtract the mean, divide by the standard deviation. */
  | { readonly kind: 'zscore' };

export const DEFAULT_NORMALISATION: Normalisation = { kind: 'percentile', lowPercent: 1, highPercent: 99.8 };

/** Written into model.json's userDefinedMetadata under `unetStudio`, and beside it as metadata.json. */
export interface ModelMetadata {
  readonly format: 'unet-studio/1';
  readonly architecture: UNetConfig;
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
