/**
 * Our WebGPU convolution gradients equal the cpu backend's (and tfjs's own WebGPU kernels agree
 * too), on Dawn in Node over SwiftShader: the conv shapes a U-Net trains (3x3 same and valid,
 * batch 2, 1x1, a strided conv) and the 2x2 stride-2 up-conv (forward, input and filter
 * gradients). The GPU work runs in a child process, which Dawn's Vulkan loader needs.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasSwiftShaderVulkan, SWIFTSHADER_VULKAN } from '../../testing/testPeers';

const ROOT = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

describe.skipIf(!hasSwiftShaderVulkan())('WebGPU training kernels (Dawn, SwiftShader)', () => {
  it('equal the cpu backend on every U-Net conv shape, forward and both gradients', () => {
    const output = execFileSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/webgpuKernelParity.ts'], {
      cwd: ROOT,
      env: { ...process.env, LD_LIBRARY_PATH: SWIFTSHADER_VULKAN.libraryPath, VK_ICD_FILENAMES: SWIFTSHADER_VULKAN.icd },
      encoding: 'utf8',
      timeout: 240_000,
    });
    const results = JSON.parse(output.trim().split('\n').at(-1) as string) as { name: string; ours: number; tfjs: number }[];
    expect(results.map((r) => r.name)).toHaveLength(6);
    for (const r of results) {
      expect(r.ours, `ours, ${r.name}`).toBeLessThan(1e-5);
      expect(r.tfjs, `tfjs's own, ${r.name}`).toBeLessThan(1e-5);
    }
  }, 300_000);
});
