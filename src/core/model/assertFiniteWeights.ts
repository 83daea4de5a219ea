import { StudioError } from '../errors';

/** Refuses float32 weights holding NaN or infinite values: such a model predicts nothing (every output NaN). */
export function assertFiniteWeights(buffers: readonly ArrayBuffer[]): void {
  let notFinite = 0;
  for (const buffer of buffers) for (const v of new Float32Array(buffer, 0, Math.floor(buffer.byteLength / 4))) if (!Number.isFinite(v)) notFinite++;
  if (notFinite === 0) return;
  throw new StudioError('invalid-config', `The model's weights hold ${notFinite.toLocaleString('en-US')} values that are not numbers (NaN or infinite), ` +
    'so it cannot predict: it was saved from a run that diverged. Choose another model, or train a new one.');
}
