/**
 * `npm run bench:accuracy`: trains the studio's U-Net on ISBI 2012 slices 0-14 and validates on 15-19,
 * beside a PyTorch reference of the same recipe (bench/peers/unet_accuracy_torch.py) run at the same
 * time on the same machine. Both sides write validation probability maps; our metric code scores
 * both. Writes bench/results/accuracy/accuracy.{json,md} and our final model (model/).
 *
 * Usage: npx tsx bench/accuracy/run.ts [--steps 300] [--seeds 1,2] [--eval-every 50] [--keep-work] [--unseeded-dropout]
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_AUGMENTATION } from '../../src/core/augment/augmentationParams';
import { DEFAULT_NORMALISATION } from '../../src/core/image/normaliseImage';
import type { UNetConfig } from '../../src/core/model/unetConfig';
import { FAST_UNET } from '../../src/core/model/unetConfig';
import { studioPredictionTiling } from '../../src/core/predict/choosePredictionTile';
import { planTiles } from '../../src/core/predict/planTiles';
import { TileDrawer } from '../../src/core/train/drawTrainingTile';
import { FAST_TRAINING } from '../../src/core/train/trainingSettings';
import { welch } from './agreement';
import type { Recipe } from './exchange';
import { prepareIsbi, readExchange, readFloat32, writeExchange } from './exchange';
import type { StepScores } from './score';
import { scoreProbabilities } from './score';
import type { SideLog } from './trainOurs';
import { trainOurs } from './trainOurs';
import { runChild } from '../runChild';

const ROOT = path.resolve(import.meta.dirname, '../..');
const RESULTS = path.join(ROOT, 'bench/results/accuracy');
const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';
const PEER = path.join(ROOT, 'bench/peers/unet_accuracy_torch.py');

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

/**
 * Same-padded U-Net, depth 3, 16 base channels, batch norm, dropout 0.2, 128 px training tiles: the
 * fast preset, shrunk to fit 2 CPU cores. Prediction as the studio's: one tile over the slice here.
 */
function makeRecipe(steps: number, evalEvery: number): Recipe {
  const unet: UNetConfig = { ...FAST_UNET, depth: 3, baseChannels: 16, tileSizePx: 128 };
  const tiling = studioPredictionTiling(unet, 512, 512);
  const sizes = { inputSizePx: unet.tileSizePx, outputSizePx: unet.tileSizePx };
  const probe = new TileDrawer([{ width: 1, height: 1, channels: 1, image: new Float32Array(1), labels: new Int32Array(1), weights: Float32Array.of(1) }], sizes, DEFAULT_AUGMENTATION);
  const evalSteps: number[] = [];
  for (let s = evalEvery; s < steps; s += evalEvery) evalSteps.push(s);
  evalSteps.push(steps);
  return {
    unet,
    // tfjs's Adam defaults (tf.train.adam(lr)): beta1 0.9, beta2 0.999, epsilon = backend epsilon 1e-7.
    optimizer: { kind: 'adam', learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
    batchSize: 2,
    steps,
    evalSteps,
    augmentation: DEFAULT_AUGMENTATION,
    augmentationMarginPx: probe.marginPx(),
    targets: FAST_TRAINING.targets,
    normalisation: DEFAULT_NORMALISATION,
    trainSlices: Array.from({ length: 15 }, (_, i) => i),
    validationSlices: [15, 16, 17, 18, 19],
    prediction: {
      ...tiling,
      tiles: planTiles({ imageWidthPx: 512, imageHeightPx: 512, inputTilePx: tiling.inputTilePx,
        borderPx: (tiling.inputTilePx - tiling.outputTilePx) / 2 + tiling.marginPx, overlapPx: tiling.overlapPx, alignPx: tiling.alignPx }),
    },
  };
}

interface SideRun { log: SideLog; scores: (StepScores & { step: number })[] }
interface Summary { mean: number; min: number; max: number; values: number[] }

const METRICS = ['vRand', 'vInfo', 'foregroundRestrictedRandError', 'adaptedRandError', 'pixelError', 'cellIoU', 'membraneIoU', 'validationLoss'] as const;

function summarise(values: number[]): Summary {
  return { mean: values.reduce((a, b) => a + b, 0) / values.length, min: Math.min(...values), max: Math.max(...values), values };
}

function aggregate(runs: SideRun[], step: number) {
  const at = runs.map((r) => ({ scores: r.scores.find((s) => s.step === step)!, log: r.log.evals.find((e) => e.step === step)! }));
  return {
    ...Object.fromEntries(METRICS.map((m) => [m, summarise(at.map((a) => a.scores[m]))])) as Record<(typeof METRICS)[number], Summary>,
    trainSeconds: summarise(at.map((a) => a.log.trainSeconds)),
    meanTrainLoss: summarise(at.map((a) => a.log.meanTrainLoss)),
  };
}

function cell(s: Summary, digits: number): string {
  if (s.values.length === 1) return s.mean.toFixed(digits);
  return `${s.mean.toFixed(digits)} (${s.min.toFixed(digits)}-${s.max.toFixed(digits)})`;
}

function markdown(recipe: Recipe, seeds: number[], rows: { step: number; ours: ReturnType<typeof aggregate>; torch: ReturnType<typeof aggregate> }[],
  sides: { ours: SideRun[]; torch: SideRun[] }, date: string): string {
  const u = recipe.unet;
  const lines = [
    '# Accuracy: U-Net Studio (tfjs) vs PyTorch, same recipe, ISBI 2012',
    '',
    `${date}, ${os.cpus()[0]?.model ?? 'CPU'} (${os.cpus().length} cores, shared), Node ${process.version}. Train: slices 0-14; validate: 15-19.`,
    '',
    `Recipe: ${u.padding}-padded U-Net, depth ${u.depth}, ${u.baseChannels} base channels, batch norm ${u.batchNorm ? 'on' : 'off'}, dropout ${u.dropoutRate}; ` +
      `${u.tileSizePx} px tiles, batch ${recipe.batchSize}; Adam lr ${recipe.optimizer.learningRate} (beta ${recipe.optimizer.beta1}/${recipe.optimizer.beta2}, eps ${recipe.optimizer.epsilon}); ` +
      `${recipe.steps} steps; init N(0, sqrt(2/fan_in)); loss: weighted softmax CE with the paper's weight map (w0 ${recipe.targets.w0}, sigma ${recipe.targets.sigmaPx} px, class balance); ` +
      `augmentation: flips, quarter turns, rotation +-${recipe.augmentation.maxRotationDeg} deg, elastic ${recipe.augmentation.elastic?.gridSize}x${recipe.augmentation.elastic?.gridSize} sigma ${recipe.augmentation.elastic?.sigmaPx} px, ` +
      `gamma/contrast/brightness ${recipe.augmentation.maxGammaChange}/${recipe.augmentation.maxContrastChange}/${recipe.augmentation.maxBrightnessShift}; ` +
      `tiles centred on random labelled pixels with ${recipe.augmentationMarginPx} px warp margin; percentile normalisation 1-99.8. ` +
      `Prediction as the studio's (studioPredictionTiling): ${recipe.prediction.tiles.length} tile(s) of ${recipe.prediction.inputTilePx} px per slice, ` +
      `${recipe.prediction.marginPx} px margin discarded, ${recipe.prediction.overlapPx} px blended overlap, no TTA.`,
    '',
    `Seeds: ${seeds.join(', ')} on each side; cells show the mean and (min-max) over seeds. ` +
      'V_Rand, V_Info: the ISBI 2012 leaderboard\'s, as Fiji computes them (docs/metrics.md): the 5 slices as one stack, the mean over slices at each of the 11 thresholds, then the best threshold (higher is better). ' +
      'FR Rand error: the 2012 leaderboard\'s foreground-restricted Rand error over the same stack (Fiji; the U-Net paper\'s Table 1 scale). ' +
      'skimage Rand error: skimage\'s adapted Rand error, each slice at its best threshold, mean over the 5 slices. ' +
      'Pixel error: 1 - max pixel F-score over the same thresholds. IoU: argmax, pooled over the 5 slices. Both sides scored by the same TypeScript code. ' +
      'Time: training seconds so far (evaluation excluded), both sides one thread, run concurrently on a shared machine.',
    '',
    `Ours: ${sides.ours[0]?.log.backend}. Reference: ${sides.torch[0]?.log.backend}.`,
    '',
    'What differs between the sides: the random streams (tile positions, augmentation draws, init and dropout masks: ' +
      'mulberry32 and tfjs seeds on ours, NumPy/torch generators on PyTorch), so the same seed number gives different runs; the distributions are the same. ' +
      'Shared on purpose: the normalised images, classes and weight maps (computed once by our code), the tile plan of the tiled prediction, and the scorer. ' +
      'Batch norm\'s moving variance averages the unbiased batch variance on both sides (ours since 2026-12-02; before, tfjs\'s biased one). ' +
      'Dropout draws a new mask every step on both sides (buildUNet stopped seeding its dropout layers, which had repeated one mask).',
    '',
    '| step | side | V_Rand | V_Info | FR Rand error | skimage Rand error | pixel error | cell IoU | membrane IoU | val. loss | train loss | time (s) |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    for (const [name, a] of [['tfjs (ours)', row.ours], ['PyTorch', row.torch]] as const) {
      lines.push(`| ${row.step} | ${name} | ${cell(a.vRand, 4)} | ${cell(a.vInfo, 4)} | ${cell(a.foregroundRestrictedRandError, 4)} | ${cell(a.adaptedRandError, 4)} | ${cell(a.pixelError, 4)} | ${cell(a.cellIoU, 4)} | ${cell(a.membraneIoU, 4)} | ` +
        `${cell(a.validationLoss, 4)} | ${cell(a.meanTrainLoss, 4)} | ${cell(a.trainSeconds, 0)} |`);
    }
  }
  lines.push(...agreementLines(rows.map((r) => r.step), sides));
  const notes = [...sides.ours, ...sides.torch].flatMap((s) => s.log.notes.map((n) => `${s.log.side} seed ${s.log.seed}: ${n}`));
  if (notes.length) lines.push('', 'Notes:', ...notes.map((n) => `- ${n}`));
  lines.push('', 'Total wall time per seed (training + evaluation): ' +
    [...sides.ours, ...sides.torch].map((s) => `${s.log.side} seed ${s.log.seed} ${s.log.totalSeconds.toFixed(0)} s`).join(', ') + '.', '');
  return lines.join('\n');
}

/**
 * Ours vs PyTorch per metric with Welch's t (difference of means over its standard error across
 * seeds), at the last step and on each seed's mean over the last three evaluations (less noisy).
 */
function agreementLines(steps: number[], sides: { ours: SideRun[]; torch: SideRun[] }): string[] {
  if (sides.ours.length < 2 || sides.torch.length < 2) return ['', 'Agreement: needs at least two seeds a side.'];
  const last = steps.slice(-3);
  const perSeed = (runs: SideRun[], metric: (typeof METRICS)[number], at: number[]) =>
    runs.map((r) => at.reduce((sum, step) => sum + r.scores.find((s) => s.step === step)![metric], 0) / at.length);
  const lines = ['', `## Agreement (${sides.ours.length} vs ${sides.torch.length} seeds)`, '',
    'Difference of the means (ours - PyTorch) and Welch\'s t = |difference| / standard error over seeds: below ~2, the sides differ by no more than their run-to-run noise.', '',
    `| metric | step ${steps.at(-1)}: difference | t | steps ${last.join(', ')} (mean per seed): difference | t |`, '| --- | ---: | ---: | ---: | ---: |'];
  for (const metric of METRICS) {
    const final = welch(perSeed(sides.ours, metric, [steps.at(-1)!]), perSeed(sides.torch, metric, [steps.at(-1)!]));
    const late = welch(perSeed(sides.ours, metric, last), perSeed(sides.torch, metric, last));
    lines.push(`| ${metric} | ${final.difference >= 0 ? '+' : ''}${final.difference.toFixed(4)} | ${final.t.toFixed(2)} | ${late.difference >= 0 ? '+' : ''}${late.difference.toFixed(4)} | ${late.t.toFixed(2)} |`);
  }
  return lines;
}

async function main() {
  if (process.argv.includes('--worker')) {
    await trainOurs(option('--exchange')!, Number(option('--seed')), option('--out')!, option('--save-model') ?? null, process.argv.includes('--unseeded-dropout'));
    return;
  }
  const steps = Number(option('--steps') ?? 300);
  const evalEvery = Number(option('--eval-every') ?? Math.max(1, Math.round(steps / 6)));
  const seeds = (option('--seeds') ?? '1,2').split(',').map(Number);
  if (!(steps >= 1) || seeds.some((s) => !Number.isInteger(s))) throw new Error('Usage: run.ts [--steps N] [--seeds 1,2] [--eval-every N]');
  const recipe = makeRecipe(steps, evalEvery);
  const work = path.join(os.tmpdir(), `unet-accuracy-${process.pid}`);
  const outs = path.join(work, 'out');
  console.log(`Preparing ISBI slices (weight maps) into ${work} ...`);
  writeExchange(work, recipe, prepareIsbi(recipe.targets, recipe.normalisation));

  const unseeded = process.argv.includes('--unseeded-dropout');
  // The ablation writes its own report and no model.
  const baseName = unseeded ? 'accuracy-unseeded-dropout' : 'accuracy';
  const modelDir = path.join(RESULTS, 'model');
  const children = [
    runChild('pytorch', PYTHON, [PEER, work, outs, ...seeds.map(String)]),
    ...seeds.map((seed, i) => runChild(`tfjs ${seed}`, process.execPath, [
      ...process.execArgv, path.join(import.meta.dirname, 'run.ts'), '--worker', '--exchange', work, '--seed', String(seed),
      '--out', path.join(outs, `tfjs-seed${seed}`), ...(i === 0 && !unseeded ? ['--save-model', modelDir] : []), ...(unseeded ? ['--unseeded-dropout'] : []),
    ])),
  ];
  const results = await Promise.allSettled(children);
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length) throw new Error(`Some runs failed: ${failed.map((f) => String((f as PromiseRejectedResult).reason)).join('; ')} (work kept in ${work})`);

  const { data } = readExchange(work);
  const side = (name: 'tfjs' | 'pytorch'): SideRun[] => seeds.map((seed) => {
    const dir = path.join(outs, `${name}-seed${seed}`);
    const log = JSON.parse(readFileSync(path.join(dir, 'log.json'), 'utf8')) as SideLog;
    const scores = recipe.evalSteps.map((step) => ({ step, ...scoreProbabilities(readFloat32(path.join(dir, `probs_step${step}.f32`)), data.validation) }));
    return { log, scores };
  });
  const ours = side('tfjs');
  const torch = side('pytorch');
  const rows = recipe.evalSteps.map((step) => ({ step, ours: aggregate(ours, step), torch: aggregate(torch, step) }));
  const date = new Date().toISOString();
  mkdirSync(RESULTS, { recursive: true });
  const machine = { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, node: process.version, host: os.hostname() };
  const { prediction, ...recipeWithoutTiles } = recipe;
  writeFileSync(path.join(RESULTS, `${baseName}.json`), JSON.stringify({
    date, machine, seeds, recipe: { ...recipeWithoutTiles, prediction: { ...prediction, tiles: `${prediction.tiles.length} tiles (planTiles)` } },
    rows, runs: { tfjs: ours, pytorch: torch }, model: !unseeded && existsSync(modelDir) ? 'model/model.json (tfjs seed ' + seeds[0] + ', last step)' : null,
  }, null, 2) + '\n');
  const md = markdown(recipe, seeds, rows, { ours, torch }, date);
  writeFileSync(path.join(RESULTS, `${baseName}.md`), md);
  if (!process.argv.includes('--keep-work')) rmSync(work, { recursive: true, force: true });
  console.log(`\n${md}\nWrote bench/results/accuracy/${baseName}.{json,md}${unseeded ? '' : ' and model/'}.`);
}

await main();
