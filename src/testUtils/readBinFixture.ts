import { readFileSync } from 'node:fs';

type Dtype = 'uint8' | 'uint16' | 'int32' | 'float32' | 'float64';
const CTOR = { uint8: Uint8Array, uint16: Uint16Array, int32: Int32Array, float32: Float32Array, float64: Float64Array } as const;

export interface BinFixture<Meta> {
  readonly meta: Meta;
  array(name: string): { data: Uint8Array | Uint16Array | Int32Array | Float32Array | Float64Array; shape: number[] };
}

/** Reads a fixture written by scripts/fixtureio.py: <stem>.json manifest + <stem>.bin arrays. */
export function readBinFixture<Meta>(stemUrl: URL): BinFixture<Meta> {
  const manifest = JSON.parse(readFileSync(new URL(`${stemUrl.href}.json`), 'utf8')) as {
    meta: Meta;
    arrays: Record<string, { dtype: Dtype; shape: number[]; offset: number }>;
  };
  const bytes = readFileSync(new URL(`${stemUrl.href}.bin`));
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return {
    meta: manifest.meta,
    array(name) {
      const entry = manifest.arrays[name];
      if (!entry) throw new Error(`Fixture ${stemUrl.href} has no array ${name}`);
      const length = entry.shape.reduce((a, b) => a * b, 1);
      return { data: new CTOR[entry.dtype](buffer, entry.offset, length), shape: entry.shape };
    },
  };
}
