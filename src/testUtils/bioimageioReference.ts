/**
 * What a bioimage.io consumer does with a package, written from the format's documentation and
 * independent of our exporter: validate rdf.yaml against the JSON Schema in ../shared/reference,
 * and apply the `scale_range` preprocessing.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { SHARED_REFERENCE } from '../testing/testPeers';

/** Relative to ../shared/reference. */
export const BIOIMAGEIO_SCHEMA = 'bioimageio/bioimageio_schema.json';

/** ajv (draft 2020-12) over the whole schema: a model 0.5 rdf must match its branch of the root's oneOf. */
export function bioimageioSchemaValidator(): ValidateFunction {
  const schema = JSON.parse(readFileSync(path.join(SHARED_REFERENCE, BIOIMAGEIO_SCHEMA), 'utf8')) as object;
  // strict off: the schema carries pydantic's `discriminator` hints, which ajv reads only in its own restricted form.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormatsModule as unknown as (ajv: Ajv2020) => void)(ajv);
  // The spec's own path formats: relative to rdf.yaml, never leaving the package.
  const insidePackage = (value: string) => !value.startsWith('/') && !value.split('/').includes('..');
  ajv.addFormat('path', insidePackage).addFormat('file-path', insidePackage);
  return ajv.compile(schema);
}

/** bioimage.io's scale_range, written from its documentation: per channel over y and x, NumPy's linear percentiles, + eps. */
export function scaleRange(values: Float32Array, shape: number[], kwargs: { min_percentile: number; max_percentile: number; eps: number }): Float32Array {
  const [, channels, height, width] = shape as [number, number, number, number];
  const plane = height * width;
  const out = new Float32Array(values.length);
  for (let c = 0; c < channels; c++) {
    const sorted = Array.from(values.subarray(c * plane, (c + 1) * plane)).sort((a, b) => a - b);
    const percentile = (p: number) => {
      const position = (p / 100) * (sorted.length - 1);
      const below = Math.floor(position);
      const above = Math.min(below + 1, sorted.length - 1);
      return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
    };
    const low = percentile(kwargs.min_percentile);
    const high = percentile(kwargs.max_percentile);
    for (let i = 0; i < plane; i++) out[c * plane + i] = (values[c * plane + i]! - low) / (high - low + kwargs.eps);
  }
  return out;
}

