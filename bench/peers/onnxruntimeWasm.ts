/**
 * onnxruntime-web's WebAssembly build as a peer of the forward rows of `npm run bench`: the same network (buildUNet,
 * the bench's tile) exported by the studio's ONNX exporter and run by ORT (MLAS kernels, tuned independently of
 * tfjs's XNNPACK; ORT has worker threads in Node, tfjs's wasm does not). It says where WebAssembly's own ceiling lies
 * on this CPU: what any wasm engine could reach, beside PyTorch's native one. Run by bench/run.ts with this Node
 * (tsx), argv[2] the data folder (unused); prints {case_id: median_ms} as JSON, the keys ending "@2" on two threads
 * (ORT reads its thread count once a process, so those come from a child of this script).
 */
import { spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web';
import { buildUNet } from '../../src/core/model/buildUNet';
import type { UNetConfig } from '../../src/core/model/unetConfig';
import { FAST_UNET, PAPER_UNET } from '../../src/core/model/unetConfig';
import { DEFAULT_ONNX_INPUT, exportOnnx } from '../../src/core/export/exportOnnx';

const ROWS: readonly { key: string; config: UNetConfig; reps: number }[] = [
  { key: 'fast-256-forward', config: FAST_UNET, reps: 5 },
  { key: 'paper-572-forward', config: PAPER_UNET, reps: 1 },
];

const threads = Number(process.env.ORT_THREADS ?? 1);
const suffix = threads === 1 ? '' : `@${threads}`;
const wanted = process.env.BENCH_KEYS === undefined ? null : new Set(process.env.BENCH_KEYS.split(','));
const wants = (key: string) => wanted === null || wanted.has(key);

async function medianMs(config: UNetConfig, reps: number): Promise<number> {
  const px = config.tileSizePx;
  const model = buildUNet(config, 1);
  const bytes = exportOnnx(model);
  model.dispose();
  const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all' });
  try {
    const input = new ort.Tensor('float32', Float32Array.from({ length: px * px }, (_, i) => Math.sin(i)), [1, config.inputChannels, px, px]);
    await session.run({ [DEFAULT_ONNX_INPUT]: input }); // warm-up: ORT plans its memory on the first run
    const times: number[] = [];
    for (let i = 0; i < reps; i++) {
      const start = performance.now();
      await session.run({ [DEFAULT_ONNX_INPUT]: input });
      times.push(performance.now() - start);
    }
    return times.sort((a, b) => a - b)[Math.floor(times.length / 2)] as number;
  } finally {
    await session.release();
  }
}

await tf.setBackend('cpu'); // only to build the network and read its weights for the export
ort.env.wasm.numThreads = threads;
const results: Record<string, number> = {};
for (const { key, config, reps } of ROWS) {
  if (wants(key + suffix)) results[key + suffix] = await medianMs(config, reps);
}
if (threads === 1 && ROWS.some(({ key }) => wants(`${key}@2`))) {
  const child = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { encoding: 'utf8', env: { ...process.env, ORT_THREADS: '2' }, maxBuffer: 1 << 24 });
  if (child.status !== 0) throw new Error(`the two-thread run failed: ${(child.stderr || '').trim().split('\n').pop()}`);
  Object.assign(results, JSON.parse(child.stdout.trim().split('\n').pop() as string) as Record<string, number>);
}
console.log(JSON.stringify(results));
