/**
 * Our WebGPU convolution gradients equal the cpu backend's (and tfjs's own WebGPU kernels agree
 * too), on Dawn in Node over SwiftShader: the conv shapes a U-Net trains (3x3 same and valid,
 * batch 2, 1x1, a strided conv) and the 2x2 stride-2 up-conv (forward, input and filter
 * gradients); AddN, which tfjs's WebGPU program gets wrong past 7 tensors and ours does not; a matrix
 * Transpose past WebGPU's dispatch limit, which tfjs's throws on; batch norm's moments and gradient
 * (against float64), a moving statistic's update and five Adam and momentum steps (tfjs's ops agree); and a whole
 * U-Net's logits, loss and weight gradients on WebGPU with ours against the PyTorch fixtures. The GPU work runs in a child process, which Dawn's Vulkan loader needs.
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
      timeout: 480_000,
    });
    const { kernels: results, pytorch, registered } = JSON.parse(output.trim().split('\n').at(-1) as string) as {
      kernels: { name: string; ours: number; tfjs: number | null }[];
      registered: string[];
      pytorch: { fixture: string; quantity: string; error: number; tolerance: number }[];
    };
    expect(results.map((r) => r.name)).toEqual(expect.arrayContaining(['3x3 same', '2x2 stride-2 up-conv, batch 2', 'AddN of 7', 'AddN of 8', 'AddN of 37', 'Transpose of 1100000 x 3',
      'over 2.1M positions: 1x1, batch 2', 'over 2.1M positions: 2x2 stride-2 up-conv, batch 3',
      'batch norm, moments and gradient [1,33,17,64]', 'batch norm, moments and gradient [2,300,300,2]', 'moving average update', 'Adam update, 5 steps', 'momentum update, 5 steps']));
    expect(results).toHaveLength(23);
    // Ours were the ones measured: registered on WebGPU (an unregistered kernel falls back to tfjs's ops, equally right).
    expect(registered).toEqual(['StudioBatchMoments', 'StudioBatchNormTrainingGrad', 'StudioMovingAverageUpdate', 'StudioAdamUpdate', 'StudioMomentumUpdate']);
    for (const r of results) {
      expect(r.ours, `ours, ${r.name}`).toBeLessThan(1e-5);
      // tfjs's AddN of 8 or more tensors needs more storage buffers than a stage may bind: never computed. Ours sums in groups.
      const tooMany = /^AddN of (\d+)$/.exec(r.name) !== null && Number(/\d+$/.exec(r.name)?.[0]) >= 8;
      // tfjs's matrix Transpose dispatches a workgroup per 16 rows in Y, past WebGPU's 65535: it throws. Ours batches it.
      const tooTall = r.name.startsWith('Transpose of');
      // Past 2.1M positions tfjs's own are not run (null): whatever they do there, ours is what the studio runs.
      const theirs = r.tfjs;
      expect(theirs === null, `tfjs's own run, ${r.name}`).toBe(r.name.startsWith('over 2.1M'));
      if (theirs === null) continue;
      if (tooMany || tooTall) expect(theirs, `tfjs's own, ${r.name}`).toBeGreaterThan(0.5);
      // Against float64, tfjs's reductions over ~1e5 positions are ~1e-5 off (ours, compensated, ~5e-6).
      else if (r.name.startsWith('batch norm')) expect(theirs, `tfjs's own, ${r.name}`).toBeLessThan(1e-4);
      else expect(theirs, `tfjs's own, ${r.name}`).toBeLessThan(1e-5);
    }
    // A whole U-Net trained on WebGPU with ours: logits, loss and every weight gradient equal PyTorch's (float64).
    expect(new Set(pytorch.map((p) => p.fixture))).toEqual(new Set(['unet-valid-d2c4', 'unet-same-bn-d2c4']));
    expect(pytorch.filter((p) => p.quantity.includes('conv')).length).toBeGreaterThan(10);
    for (const p of pytorch) expect(p.error, `${p.fixture} ${p.quantity}`).toBeLessThan(p.tolerance);
  }, 540_000);
});
