/**
 * WebGPU in Node through Dawn (the `webgpu` npm package's `dawn.node` addon).
 *
 * The addon is looked for, in order: $UNET_STUDIO_DAWN; `dawn.node` next to the running script
 * (the bundle built by scripts/buildGpuBench.mjs ships it there); the `webgpu` package in
 * node_modules (running from the source tree). Dawn reaches the GPU through the system's Vulkan
 * loader (libvulkan.so.1) and driver on Linux.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface DawnModule {
  /** Dawn options such as `backend=vulkan`, `adapter=NAME`, `enable-dawn-features=...`. */
  create(options: string[]): GPU;
  /** GPUBufferUsage, GPUMapMode, GPUShaderStage, GPUTextureUsage, GPUDevice, ... */
  globals: Record<string, unknown>;
}

export interface DawnOptions {
  /** Dawn backend, e.g. 'vulkan' (default: Dawn's choice, Vulkan on Linux). */
  readonly backend?: string | undefined;
  /** Adapter name as Dawn lists it; a wrong name makes Dawn print the available ones. */
  readonly adapter?: string | undefined;
}

export interface Dawn {
  readonly gpu: GPU;
  /** Where the addon was loaded from. */
  readonly addonPath: string;
}

/** Every place the addon may be, first match wins. */
function candidatePaths(): string[] {
  const fromEnv = process.env.UNET_STUDIO_DAWN;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [...(fromEnv ? [fromEnv] : []), path.join(here, 'dawn.node')];
  try {
    const pkg = createRequire(import.meta.url).resolve('webgpu/package.json');
    const arch = process.platform === 'darwin' ? 'universal' : process.arch;
    candidates.push(path.join(path.dirname(pkg), 'dist', `${process.platform}-${arch}`, 'dawn.node'));
  } catch {
    // No node_modules in reach: the bundle case, where dawn.node sits beside the script.
  }
  return candidates;
}

/**
 * Loads Dawn, puts the WebGPU globals (GPUBufferUsage, ...) and `navigator.gpu` on globalThis.
 * Must run before `@tensorflow/tfjs-backend-webgpu` is imported: it registers its backend at
 * import time, and only when `navigator.gpu` exists.
 */
export function installDawn(options: DawnOptions = {}): Dawn {
  const tried = candidatePaths();
  const addonPath = tried.find((p) => existsSync(p));
  if (!addonPath) throw new Error(`dawn.node not found (looked at ${tried.join(', ')}). Set UNET_STUDIO_DAWN to its path.`);
  const dawn = createRequire(import.meta.url)(addonPath) as DawnModule;
  Object.assign(globalThis, dawn.globals);
  const flags = [
    ...(options.backend ? [`backend=${options.backend}`] : []),
    ...(options.adapter ? [`adapter=${options.adapter}`] : []),
  ];
  const gpu = dawn.create(flags);
  // Node 21+ has a read-only navigator getter; Node 20 has none.
  const nav = (globalThis as { navigator?: object }).navigator;
  if (nav) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true, writable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  return { gpu, addonPath };
}

export interface AdapterSummary {
  /** One line: vendor, architecture, device and description, as the adapter reports them. */
  readonly description: string;
  readonly info: { vendor: string; architecture: string; device: string; description: string };
  readonly limits: { maxStorageBufferBindingSize: number; maxBufferSize: number; maxComputeWorkgroupsPerDimension: number };
  readonly features: string[];
}

/** The adapter tfjs-backend-webgpu will get (it asks for 'high-performance' too). */
export async function describeAdapter(gpu: GPU): Promise<AdapterSummary> {
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('Dawn found no WebGPU adapter (no Vulkan driver? see docs/gpu-bench.md).');
  const raw = adapter.info;
  const info = { vendor: raw.vendor, architecture: raw.architecture, device: raw.device, description: raw.description };
  const parts = [info.vendor, info.architecture, info.device, info.description].filter((p) => p && p.length > 0);
  return {
    description: parts.length > 0 ? [...new Set(parts)].join(' ') : 'unknown adapter',
    info,
    limits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
      maxComputeWorkgroupsPerDimension: adapter.limits.maxComputeWorkgroupsPerDimension,
    },
    features: [...adapter.features].map(String).sort(),
  };
}
