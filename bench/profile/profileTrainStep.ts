/**
 * `npx tsx bench/profile/profileTrainStep.ts [fast|paper] [tilePx] [--forward | --forward-layers]`: one training
 * step (or, with --forward, one forward pass as the studio predicts: batch norm folded; --forward-layers through the
 * layers model) of a preset's network on the wasm
 * backend in Node (1 thread), timed kernel by kernel with tf.profile, summed per kernel name (and per
 * input shape for the top kernels). Where the time goes, for choosing which kernel to replace next; not
 * a benchmark (run `npm run bench` for those). tf.profile also lists an op that wraps a kernel
 * (fusedConv2d__op around FusedConv2D): such wrappers are left out of the sums. Each figure is the
 * median over PROFILE_RUNS (default 3) profiled runs after a warm-up.
 */
import * as tf from '@tensorflow/tfjs';
import { buildUNet } from '../../src/core/model/buildUNet';
import { FAST_UNET, PAPER_UNET } from '../../src/core/model/unetConfig';
import { outputSizePx } from '../../src/core/geometry/tileGeometry';
import { useWasmBackend } from '../../src/testUtils/wasmBackend';
import { inferenceNetwork } from '../../src/core/model/inferenceNetwork';
import { BENCH_OPTIMIZER, forwardOnce, studioForwardOnce, trainStepOnce } from '../cases/model';
import { createOptimizer } from '../../src/core/train/createOptimizer';
import { profiledKernels, sumKernels } from './sumKernels';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const forward = process.argv.includes('--forward');
const forwardLayers = process.argv.includes('--forward-layers');
const preset = args[0] === 'paper' ? PAPER_UNET : FAST_UNET;
const config = { ...preset, tileSizePx: Number(args[1] ?? preset.tileSizePx) };

await useWasmBackend();
const model = buildUNet(config, 1);
const x = tf.randomNormal([1, config.tileSizePx, config.tileSizePx, 1]);
const optimizer = createOptimizer(BENCH_OPTIMIZER);
const out = outputSizePx(config.tileSizePx, config);
const network = inferenceNetwork(model, config);
const once = () => (forward ? studioForwardOnce(network!, x as tf.Tensor4D) : forwardLayers ? forwardOnce(model, x) : trainStepOnce(model, optimizer, x, out));
await once(); // warm-up
// The machine is shared: each kernel's (and shape's) time is the median over RUNS profiled runs.
const runs = Number(process.env.PROFILE_RUNS ?? 3);
const wallTimes: number[] = [];
const perRun: { byName: Map<string, { ms: number; calls: number }>; byShape: Map<string, { ms: number; calls: number }> }[] = [];
for (let run = 0; run < runs; run++) {
  const started = performance.now();
  const info = await tf.profile(once);
  wallTimes.push(performance.now() - started);
  const kernels = profiledKernels(info);
  const byName = sumKernels(kernels, (k) => k.name);
  const byShape = sumKernels(kernels, (k) => `${k.name} ${k.inputShapes.map((s) => `[${s?.join('x')}]`).join(' ')}`);
  perRun.push({ byName, byShape });
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const medianOf = (pick: 'byName' | 'byShape') => {
  const merged = new Map<string, { ms: number; calls: number }>();
  for (const key of new Set(perRun.flatMap((r) => [...r[pick].keys()]))) {
    merged.set(key, { ms: median(perRun.map((r) => r[pick].get(key)?.ms ?? 0)), calls: perRun[0]![pick].get(key)?.calls ?? 0 });
  }
  return merged;
};
const byName = medianOf('byName');
const byShape = medianOf('byShape');
const wallMs = median(wallTimes);
const total = [...byName.values()].reduce((s, v) => s + v.ms, 0);
console.log(`${args[0] ?? 'fast'} U-Net at ${config.tileSizePx} px: ${forward ? 'folded forward' : forwardLayers ? 'layers forward' : 'step'} ${wallMs.toFixed(0)} ms wall (profiled; median of ${runs}: ${wallTimes.map((t) => t.toFixed(0)).join(', ')}), kernels ${total.toFixed(0)} ms`);
for (const [name, v] of [...byName].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) {
  console.log(`${(v.ms / total * 100).toFixed(1).padStart(5)} %  ${v.ms.toFixed(0).padStart(6)} ms  ${String(v.calls).padStart(4)}x  ${name}`);
}
console.log('\nTop kernel calls by input shape:');
for (const [key, v] of [...byShape].sort((a, b) => b[1].ms - a[1].ms).slice(0, Number(process.env.PROFILE_TOP ?? 20))) {
  console.log(`${v.ms.toFixed(0).padStart(6)} ms  ${String(v.calls).padStart(3)}x  ${key}`);
}
