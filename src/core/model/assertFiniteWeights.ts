import { StudioError } from '../errors';
import { countParameters } from './countParameters';
import type { UNetConfig } from './unetConfig';

/** Refuses float32 weights holding NaN or infinite values: such a model predicts nothing (every output NaN). */
export function assertFiniteWeights(buffers: readonly ArrayBuffer[]): void {
  let notFinite = 0;
  for (const buffer of buffers) for (const v of new Float32Array(buffer, 0, Math.floor(buffer.byteLength / 4))) if (!Number.isFinite(v)) notFinite++;
  if (notFinite === 0) return;
  throw new StudioError('invalid-config', `The model's weights hold ${notFinite.toLocaleString('en-US')} values that are not numbers (NaN or infinite), ` +
    'so it cannot predict: it was saved from a run that diverged. Choose another model, or train a new one.');
}

/** The largest network an import may build: ~13x the paper's 31 M parameters (beyond it, a file is wrong, not big). */
export const MAX_IMPORT_PARAMETERS = 400_000_000;

/**
 * Refuses weights that cannot be the network the metadata describes (a wrong byte count), and
 * absurd networks, before anything is built: a hostile model.json must not make the engine
 * allocate a network of 100 billion parameters for an empty weights file.
 */
export function assertWeightsFitArchitecture(architecture: UNetConfig, weightBytes: number): void {
  const parameters = countParameters(architecture);
  if (parameters > MAX_IMPORT_PARAMETERS) {
    throw new StudioError('unsupported-format', `model.json describes a network of ${(parameters / 1e6).toFixed(0)} million parameters; ` +
      `U-Net Studio imports networks of up to ${MAX_IMPORT_PARAMETERS / 1e6} million (the paper's has 31). The file is not a model it can use.`);
  }
  if (parameters * 4 !== weightBytes) {
    throw new StudioError('unsupported-format', `model.json's weights (${weightBytes.toLocaleString('en-US')} bytes) do not fit the network its metadata describes ` +
      `(${parameters.toLocaleString('en-US')} parameters, ${(parameters * 4).toLocaleString('en-US')} bytes): the file was edited or not saved by U-Net Studio.`);
  }
}
