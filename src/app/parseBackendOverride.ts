import type { BackendName } from '../engine/protocol';

const BACKENDS: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** `?backend=wasm` (or a comma list in order of preference) forces the engine's backend; anything else is ignored. */
export function parseBackendOverride(value: string | null): BackendName[] | undefined {
  if (!value) return undefined;
  const names = value.split(',').map((v) => v.trim().toLowerCase()).filter((v): v is BackendName => (BACKENDS as readonly string[]).includes(v));
  return names.length > 0 ? names : undefined;
}
