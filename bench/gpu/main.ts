/**
 * The GPU bench: the studio's U-Net on tfjs's webgpu backend in Node, reaching the GPU through
 * Dawn (`dawn.node`, from the `webgpu` package) and the system's Vulkan driver. No browser.
 *
 * From the source tree:  npx tsx bench/gpu/main.ts [options]
 * As a bundle:           ./run.sh [options]   (built by scripts/buildGpuBench.mjs; docs/gpu-bench.md)
 *
 * Options:
 *   --quick                 fast preset at a 64 px tile and the 512x512 tiled prediction only
 *   --only <substring>      rows whose id contains it
 *   --out <dir>             where the JSON and Markdown go (default ./gpu-bench-results)
 *   --predict-tile <px>     cap the prediction tile (default: the studio's choice; 256 in --quick)
 *   --adapter <name>        Dawn adapter by name (a wrong name lists them)
 *   --dawn-backend <name>   Dawn backend (vulkan, opengl, null, ...; default Dawn's choice)
 *   --min-runs <n>          timed runs at least (default 3, 1 for the paper preset)
 *   --budget-ms <ms>        keep timing a row until this much time has passed (default 3000), at most 15 runs
 *   --no-tfjs-kernels       skip the second pass of the model rows on tfjs's own WebGPU convolution gradients
 *   --profile               after timing a model row, one more run under tf.profile: GPU time per kernel name
 *
 * Rows run on our WebGPU training kernels (src/engine/backends/webgpuTrainingKernels.ts), as the
 * studio does; the model rows (forward, training step) then run again on tfjs's own kernels, ids
 * ending in "-tfjs-kernels", so each report says what ours change.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { UNetConfig } from '../../src/core/model/unetConfig';
import { FAST_UNET, PAPER_UNET } from '../../src/core/model/unetConfig';
import { FAST_TRAINING } from '../../src/core/train/trainingSettings';
import { registerWebGpuTrainingKernels, useTfjsWebGpuKernels } from '../../src/engine/backends/webgpuTrainingKernels';
import { measureEngineMemory } from '../../src/engine/engineMemory';
import type { GpuCase } from './cases';
import { batchTrainStepCase, modelCases, tiledPredictionCase } from './cases';
import { describeAdapter, installDawn } from '../../src/cli/dawn';
import type { GpuReport, GpuRow } from './report';
import { describeProfile, profileKernels } from './profileKernels';
import { formatGflops, machineInfo, markdown } from './report';

const MAX_RUNS = 15;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

function numberOption(name: string): number | undefined {
  const value = option(name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} needs a positive number (got "${value}").`);
  return n;
}

function buildCases(quick: boolean, predictTileCap: number | undefined, minRuns: number | undefined): GpuCase[] {
  const modelGroup = 'model (tfjs webgpu backend in Node, Dawn)';
  const predictGroup = 'tiled prediction (tfjs webgpu backend in Node, Dawn)';
  const runs = (fallback: number) => minRuns ?? fallback;
  if (quick) {
    const small: UNetConfig = { ...FAST_UNET, tileSizePx: 64 };
    return [
      ...modelCases('fast-64', small, runs(3), modelGroup),
      batchTrainStepCase('fast-64', small, FAST_TRAINING.batchSize, runs(3), modelGroup, { optimizer: FAST_TRAINING.optimizer, preset: 'fast' }),
      // One timed prediction: on a software adapter it alone takes minutes.
      tiledPredictionCase('fast', FAST_UNET, 512, runs(1), predictGroup, predictTileCap ?? 256),
    ];
  }
  return [
    ...modelCases('fast-256', FAST_UNET, runs(3), modelGroup),
    batchTrainStepCase('fast-256', FAST_UNET, FAST_TRAINING.batchSize, runs(3), modelGroup, { optimizer: FAST_TRAINING.optimizer, preset: 'fast' }),
    ...modelCases('paper-572', PAPER_UNET, runs(1), modelGroup),
    ...[2, 8, 32].map((batch) => batchTrainStepCase('fast-256', FAST_UNET, batch, runs(3), modelGroup)),
    tiledPredictionCase('fast', FAST_UNET, 512, runs(3), predictGroup, predictTileCap),
    tiledPredictionCase('fast', FAST_UNET, 2048, runs(1), predictGroup, predictTileCap),
    tiledPredictionCase('paper', PAPER_UNET, 512, runs(1), predictGroup, predictTileCap),
    tiledPredictionCase('paper', PAPER_UNET, 2048, runs(1), predictGroup, predictTileCap),
  ];
}

/** Warm-up run (shader compilation), then timed runs: at least minRuns, more while within the budget. */
async function timeCase(benchCase: GpuCase, budgetMs: number, profile: boolean): Promise<Pick<GpuRow, 'ours' | 'gflop' | 'gflopPerSecond' | 'memoryMiB' | 'profile'>> {
  const memoryMiB = () => Math.round(measureEngineMemory().bytes / 2 ** 20);
  try {
    await benchCase.setup();
    const warmStart = performance.now();
    await (benchCase.warmUp ? benchCase.warmUp() : benchCase.run());
    console.log(`  warm-up ${(performance.now() - warmStart).toFixed(0)} ms`);
    const times: number[] = [];
    let gflop: number | undefined;
    const start = performance.now();
    while (times.length < MAX_RUNS && (times.length < benchCase.minRuns || performance.now() - start < budgetMs)) {
      const t = performance.now();
      gflop = await benchCase.run();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const medianMs = times[Math.floor(times.length / 2)] as number;
    console.log(`  median ${medianMs.toFixed(1)} ms over ${times.length} runs${gflop ? `, ${formatGflops(gflop / (medianMs / 1000))} GFLOP/s` : ''}`);
    const kernelProfile = profile && benchCase.group.startsWith('model') ? await profileKernels(benchCase) : undefined;
    if (kernelProfile) console.log(describeProfile(kernelProfile));
    return {
      ...(kernelProfile ? { profile: kernelProfile } : {}),
      ours: { medianMs, runs: times.length },
      ...(gflop ? { gflop, gflopPerSecond: gflop / (medianMs / 1000) } : {}),
      memoryMiB: memoryMiB(),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.log(`  failed: ${message}`);
    return { ours: { error: message }, memoryMiB: memoryMiB() };
  } finally {
    benchCase.teardown();
  }
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const only = option('--only');
  const outDir = path.resolve(option('--out') ?? 'gpu-bench-results');
  const budgetMs = numberOption('--budget-ms') ?? 3000;
  const profile = process.argv.includes('--profile');
  const dawnOptions = { backend: option('--dawn-backend'), adapter: option('--adapter') };

  const dawn = installDawn(dawnOptions);
  const adapter = await describeAdapter(dawn.gpu);
  console.log(`dawn.node: ${dawn.addonPath}`);
  console.log(`GPU adapter: ${adapter.description}`);
  console.log(`  vendor "${adapter.info.vendor}", architecture "${adapter.info.architecture}", device "${adapter.info.device}", description "${adapter.info.description}"`);
  console.log(`  maxStorageBufferBindingSize ${adapter.limits.maxStorageBufferBindingSize}, maxBufferSize ${adapter.limits.maxBufferSize}, features: ${adapter.features.join(', ') || 'none'}`);

  // Registers the webgpu backend at import time, and only if navigator.gpu exists: after installDawn.
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs could not start its webgpu backend on this adapter.');
  await tf.ready();
  registerWebGpuTrainingKernels(); // as the studio does (selectBackend)
  console.log(`tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}`);

  const all = buildCases(quick, numberOption('--predict-tile'), numberOption('--min-runs'));
  const cases = only ? all.filter((c) => c.id.includes(only)) : all;
  const machine = machineInfo(adapter.description);
  const rows: GpuRow[] = [];
  const stamp = `gpu-${new Date().toISOString().slice(0, 10)}-${machine.host.replace(/[^a-z0-9-]/gi, '')}${quick ? '-quick' : ''}`;
  // Written after every row, so a run stopped part-way (a lease's time limit) keeps the rows it finished.
  const writeReport = (): string => {
    const report: GpuReport = {
      date: new Date().toISOString(),
      mode: quick ? 'quick' : 'full',
      machine,
      backend: 'webgpu',
      adapter,
      dawn: { addonPath: dawn.addonPath, options: [dawnOptions.backend && `backend=${dawnOptions.backend}`, dawnOptions.adapter && `adapter=${dawnOptions.adapter}`].filter((o): o is string => !!o) },
      rows,
    };
    const md = markdown(report);
    mkdirSync(outDir, { recursive: true });
    for (const name of ['gpu-latest', stamp]) {
      writeFileSync(path.join(outDir, `${name}.json`), JSON.stringify(report, null, 2) + '\n');
      writeFileSync(path.join(outDir, `${name}.md`), md);
    }
    return md;
  };
  const timeRow = async (benchCase: GpuCase, idSuffix: string, descriptionSuffix: string) => {
    console.log(`${benchCase.id}${idSuffix}: ${benchCase.description}${descriptionSuffix}`);
    rows.push({
      id: `${benchCase.id}${idSuffix}`,
      group: benchCase.group,
      description: `${benchCase.description}${descriptionSuffix}`,
      ...(await timeCase(benchCase, budgetMs, profile)),
      peers: [],
      backend: 'webgpu',
      adapter: adapter.description,
      machine: { cpu: machine.cpu, gpu: machine.gpu },
    });
    writeReport();
  };
  for (const benchCase of cases) await timeRow(benchCase, '', '');
  if (!process.argv.includes('--no-tfjs-kernels')) {
    useTfjsWebGpuKernels();
    // Only the training steps use the convolution gradients that differ; a forward pass is the same on both.
    // The batch rows would only repeat the batch-1 comparison, slower.
    for (const benchCase of cases.filter((c) => c.id.endsWith('-train-step') && !c.id.includes('-batch'))) {
      await timeRow(benchCase, '-tfjs-kernels', ", on tfjs 4.22's own WebGPU kernels (naive filter gradient and transposed conv; batch norm's gradient and the optimiser as tfjs's ops)");
    }
    registerWebGpuTrainingKernels();
  }

  const md = writeReport();
  console.log(`\n${md}\nWrote ${path.join(outDir, 'gpu-latest')}.{json,md} and ${stamp}.{json,md}`);
}

main().then(
  // Dawn keeps Node alive while navigator.gpu is referenced (its README): exit explicitly.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack ?? error.message : String(error));
    process.exit(1);
  },
);
