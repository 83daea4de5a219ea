/**
 * `npx tsx bench/profile/forwardPeerRuntime.ts [fast|paper] [tilePx] [rounds] [ortThreads]`: is the forward pass's ceiling tfjs's, or
 * WebAssembly's? The studio's forward (batch norm folded, softmax; tfjs wasm, XNNPACK, one thread in Node) against
 * the same network exported by the studio's ONNX exporter and run by onnxruntime-web's wasm build (MLAS; a newer,
 * independently tuned set of wasm SIMD kernels) on ortThreads threads (default 1; ORT has worker threads in Node,
 * tfjs's wasm does not; ORT reads its thread count once a process, so run again for another). Rounds interleave the
 * two; medians. A profiling aid, not a benchmark row (`npm run bench`).
 */
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web';
import { buildUNet } from '../../src/core/model/buildUNet';
import { FAST_UNET, PAPER_UNET } from '../../src/core/model/unetConfig';
import { inferenceNetwork } from '../../src/core/model/inferenceNetwork';
import { DEFAULT_ONNX_INPUT, exportOnnx } from '../../src/core/export/exportOnnx';
import { useWasmBackend } from '../../src/testUtils/wasmBackend';
import { forwardGflop, studioForwardOnce } from '../cases/model';

const [presetName = 'fast', tileArg, roundsArg, threadsArg] = process.argv.slice(2);
const preset = presetName === 'paper' ? PAPER_UNET : FAST_UNET;
const config = { ...preset, tileSizePx: Number(tileArg ?? preset.tileSizePx) };
const rounds = Number(roundsArg ?? 5);
const px = config.tileSizePx;

await useWasmBackend();
const model = buildUNet(config, 1);
const network = inferenceNetwork(model, config);
if (!network) throw new Error('No inference network for this configuration.');
const x = tf.randomNormal([1, px, px, 1]) as tf.Tensor4D;
// ORT reads NCHW; with one channel the NHWC values are the same array.
const input = new ort.Tensor('float32', Float32Array.from(x.dataSync()), [1, 1, px, px]);
const ortThreads = Number(threadsArg ?? 1);
ort.env.wasm.numThreads = ortThreads;
const session = await ort.InferenceSession.create(exportOnnx(model), { graphOptimizationLevel: 'all' });

const time = async (once: () => Promise<unknown>) => { const start = performance.now(); await once(); return performance.now() - start; };
const runs = { tfjs: [] as number[], ort: [] as number[] };
const ortOnce = () => session.run({ [DEFAULT_ONNX_INPUT]: input });
await studioForwardOnce(network, x); // warm-up
await ortOnce();
for (let round = 0; round < rounds; round++) {
  runs.tfjs.push(await time(() => studioForwardOnce(network, x)));
  runs.ort.push(await time(ortOnce));
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const gflop = forwardGflop(config);
for (const [label, times] of [['tfjs wasm (XNNPACK), 1 thread', runs.tfjs], [`onnxruntime-web ${ort.env.versions.web} wasm (MLAS), ${ortThreads} thread(s)`, runs.ort]] as const) {
  const ms = median(times);
  console.log(`${presetName}-${px} forward, ${label}: ${ms.toFixed(1)} ms median (${times.map((t) => t.toFixed(0)).join(', ')}), ${(gflop / (ms / 1000)).toFixed(1)} GFLOP/s, ${(ms / median(runs.tfjs)).toFixed(2)}x tfjs`);
}
