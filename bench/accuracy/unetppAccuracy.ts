/**
 * `npm run bench:unetpp-accuracy`: UNet++ (deep supervision; every head averaged, and pruned to each
 * level) against the U-Net of the same depth and widths, at equal steps and at equal training time,
 * on the ISBI 2012 split (train 0-14, score 15-19) and a DSB 2018 nuclei split (the nuclei starter's:
 * train on its training images, score on its held-out ones). The studio's own code throughout:
 * buildUNet, TrainingRun (the fast preset's recipe: Adam, weighted loss, augmentation), the engine's
 * tiled prediction and pruning, the project's scorers (scripts/starters/starterScores.ts). tfjs wasm
 * in Node, one thread a process. The two networks alternate steps, so both see the same machine load;
 * each counts only its own steps' time. At N steps both are scored; then the U-Net trains on alone
 * until its training time equals the UNet++'s, and is scored again.
 *
 * Usage: npx tsx bench/accuracy/unetppAccuracy.ts [--steps 200] [--seeds 1,2] [--data em,nuclei] [--report-from FILE.json]
 *   (each dataset x seed runs in its own process, two at a time); --worker is internal.
 * Writes bench/results/accuracy/unetpp-accuracy.{json,md}.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { buildUNet } from '../../src/core/model/buildUNet';
import { pruneUNetPlusPlus } from '../../src/core/model/pruneUNetPlusPlus';
import type { UNetConfig } from '../../src/core/model/unetConfig';
import { FAST_UNET } from '../../src/core/model/unetConfig';
import type { PreparedData } from '../../src/core/train/prepareTrainingData';
import { TrainingRun } from '../../src/core/train/TrainingRun';
import type { TrainingSettings } from '../../src/core/train/trainingSettings';
import { FAST_TRAINING } from '../../src/core/train/trainingSettings';
import { useWasmBackend } from '../../src/testUtils/wasmBackend';
import { welch } from './agreement';
import type { StarterImage, StarterName } from '../../scripts/starters/starterData';
import { loadStarterImage, starterSplit, toTrainingSample } from '../../scripts/starters/starterData';
import type { StarterScores } from '../../scripts/starters/starterScores';
import { describeScores, predictImage, scoreModel } from '../../scripts/starters/starterScores';
import { option } from '../../scripts/cliOption';

const ROOT = path.resolve(import.meta.dirname, '../..');
const RESULTS = path.join(ROOT, 'bench/results/accuracy');

/** The fast preset shrunk to two CPU cores, as bench:accuracy: depth 3, 16 base channels, 128 px tiles, batch 2. */
const UNET: UNetConfig = { ...FAST_UNET, depth: 3, tileSizePx: 128 };
const UNETPP: UNetConfig = { ...UNET, architecture: 'unetpp', deepSupervision: true };

interface Scored {
  /** 'UNet++ (all heads)', 'UNet++ L1', ..., 'U-Net'. */
  readonly network: string;
  /** 'equal steps' or 'equal time'. */
  readonly budget: string;
  readonly steps: number;
  readonly trainSeconds: number;
  readonly parameters: number;
  /** Prediction time of the scored images with the engine's tiled prediction, ms per megapixel. */
  readonly msPerMegapixel: number;
  readonly scores: StarterScores;
}

interface Arm {
  readonly model: tf.LayersModel;
  readonly config: UNetConfig;
  readonly run: TrainingRun;
  trainMs: number;
  steps: number;
}

async function step(arm: Arm): Promise<void> {
  const start = Date.now();
  await arm.run.step();
  arm.trainMs += Date.now() - start;
  arm.steps++;
}

async function score(name: StarterName, network: string, budget: string, arm: Arm, model: tf.LayersModel, config: UNetConfig, test: readonly StarterImage[]): Promise<Scored> {
  const scores = await scoreModel(name, model, config, test);
  // Prediction alone (scoring excluded): the faster of two predictions of the first scored image, after a warm-up.
  const image = test[0] as StarterImage;
  await predictImage(model, config, image);
  let fastestMs = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 2; i++) {
    const start = performance.now();
    await predictImage(model, config, image);
    fastestMs = Math.min(fastestMs, performance.now() - start);
  }
  const msPerMegapixel = fastestMs / (image.width * image.height / 1e6);
  const result = { network, budget, steps: arm.steps, trainSeconds: arm.trainMs / 1000, parameters: model.countParams(), msPerMegapixel, scores };
  console.log(`${name}: ${network}, ${budget} (${arm.steps} steps, ${result.trainSeconds.toFixed(0)} s): ${describeScores(scores)}; predicts ${msPerMegapixel.toFixed(0)} ms/Mpx`);
  return result;
}

/** One dataset and seed: both networks trained, UNet++ scored whole and pruned, the U-Net at equal steps and equal time. */
async function runOne(name: StarterName, seed: number, steps: number): Promise<Scored[]> {
  await useWasmBackend();
  const split = starterSplit(name);
  const training = split.train.map((id) => toTrainingSample(loadStarterImage(name, id)));
  const test = split.heldOut.map((id) => loadStarterImage(name, id));
  const data: PreparedData = { training, validation: [], splitDescription: `train: ${split.train.length} images`, validationSliceIds: [] };
  const settings = (unet: UNetConfig): TrainingSettings => ({ ...FAST_TRAINING, unet, batchSize: 2, steps: Number.MAX_SAFE_INTEGER, validateEverySteps: Number.MAX_SAFE_INTEGER, seed });
  const arm = (config: UNetConfig): Arm => {
    const model = buildUNet(config, seed * 1000);
    return { model, config, run: new TrainingRun(model, data, settings(config)), trainMs: 0, steps: 0 };
  };
  const unetpp = arm(UNETPP);
  const unet = arm(UNET);
  while (unetpp.steps < steps || unet.steps < steps) {
    if (unetpp.steps < steps) await step(unetpp);
    if (unet.steps < steps) await step(unet);
    if (unetpp.steps % 50 === 0) console.log(`${name} seed ${seed}: step ${unetpp.steps}, UNet++ ${(unetpp.trainMs / 1000).toFixed(0)} s, U-Net ${(unet.trainMs / 1000).toFixed(0)} s`);
  }
  // Each network is scored as the studio would give it: its weight average (the preset keeps one) in the model.
  const restoreUnetpp = unetpp.run.presentResult();
  const rows: Scored[] = [await score(name, 'UNet++ (all heads)', 'equal steps', unetpp, unetpp.model, UNETPP, test)];
  for (let level = 1; level <= UNETPP.depth; level++) {
    const pruned = pruneUNetPlusPlus(unetpp.model, UNETPP, level);
    rows.push(await score(name, `UNet++ L${level}`, 'equal steps', unetpp, pruned.model, pruned.config, test));
    pruned.model.dispose();
  }
  rows.push(await unet.run.withResult(() => score(name, 'U-Net', 'equal steps', unet, unet.model, UNET, test)));
  while (unet.trainMs < unetpp.trainMs) await step(unet);
  const restoreUnet = unet.run.presentResult();
  rows.push(await score(name, 'U-Net', 'equal time', unet, unet.model, UNET, test));
  restoreUnetpp(); // frees the copies of the trained weights
  restoreUnet();
  for (const a of [unetpp, unet]) {
    a.run.dispose();
    a.model.dispose();
  }
  return rows;
}

function runChild(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, import.meta.filename, ...args], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited with ${code}`))));
  });
}

type Run = { data: StarterName; seed: number; rows: Scored[] };

function headline(s: StarterScores): string {
  return s.kind === 'em'
    ? `${s.vRand.toFixed(4)} | ${s.pixelError.toFixed(4)} | ${s.foregroundIoU.toFixed(4)}`
    : `${s.foregroundIoU.toFixed(4)} | ${s.objectF1.toFixed(4)} | ${s.meanImageIoU.toFixed(4)}`;
}

function markdown(runs: Run[], steps: number, date: string): string {
  const lines = [
    '# UNet++ against the U-Net: accuracy per pruning level, equal steps and equal time',
    '',
    `${date}, ${os.cpus()[0]?.model ?? 'CPU'} (${os.cpus().length} cores, shared), Node ${process.version}, tfjs ${tf.version.tfjs} wasm, one thread a run; two runs at a time.`,
    '',
    `Networks: same-padded, depth ${UNET.depth}, ${UNET.baseChannels} base channels, batch norm, dropout ${UNET.dropoutRate}; UNet++ with deep supervision ` +
      '(loss: the mean over heads; "all heads": the mean of their softmax; "L k": pruned to the sub-network of head k, a smaller model). ' +
      `Recipe: the fast preset (Adam ${FAST_TRAINING.optimizer.learningRate}, the paper's weight map, default augmentation), ${UNET.tileSizePx} px tiles, batch 2, ${steps} steps. ` +
      'Equal time: the U-Net trained on until its own training seconds equal the UNet++\'s.',
    '',
    'Scores (scripts/starters/starterScores.ts, the engine\'s tiled prediction): ISBI (em, slices 15-19): V_Rand after Fiji\'s thinning, one threshold for the stack (higher is better), pixel error (lower is better), cell IoU. ' +
      'DSB nuclei (held-out fluorescence images): foreground IoU pooled over pixels, object F1 at IoU > 0.5, mean per-image IoU. Time: the engine\'s tiled prediction alone (scoring excluded) of the first scored image, the faster of two after a warm-up, ms per megapixel (the machine is shared: noisy; bench/results/2026-11-30-unetpp-pruning.md times the levels on their own).',
    '',
  ];
  for (const data of [...new Set(runs.map((r) => r.data))]) {
    const ofData = runs.filter((r) => r.data === data);
    lines.push(`## ${data === 'em' ? 'ISBI 2012 (em)' : 'DSB 2018 nuclei'}`, '',
      `| seed | network | budget | steps | train s | parameters | ms / Mpx | ${data === 'em' ? 'V_Rand | pixel error | cell IoU' : 'foreground IoU | object F1 | mean image IoU'} |`,
      '| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const run of ofData) {
      for (const row of run.rows) {
        lines.push(`| ${run.seed} | ${row.network} | ${row.budget} | ${row.steps} | ${row.trainSeconds.toFixed(0)} | ${row.parameters.toLocaleString('en')} | ${row.msPerMegapixel.toFixed(0)} | ${headline(row.scores)} |`);
      }
    }
    lines.push('', 'Mean over seeds:', '', `| network | budget | ${data === 'em' ? 'V_Rand | pixel error | cell IoU' : 'foreground IoU | object F1 | mean image IoU'} | ms / Mpx |`, '| --- | --- | ---: | ---: | ---: | ---: |');
    const keys = [...new Set(ofData.flatMap((r) => r.rows.map((row) => `${row.network}|${row.budget}`)))];
    for (const key of keys) {
      const rows = ofData.flatMap((r) => r.rows.filter((row) => `${row.network}|${row.budget}` === key));
      const mean = (pick: (s: StarterScores) => number) => (rows.reduce((sum, row) => sum + pick(row.scores), 0) / rows.length).toFixed(4);
      const cells = data === 'em'
        ? [mean((s) => (s.kind === 'em' ? s.vRand : NaN)), mean((s) => (s.kind === 'em' ? s.pixelError : NaN)), mean((s) => s.foregroundIoU)]
        : [mean((s) => s.foregroundIoU), mean((s) => (s.kind === 'nuclei' ? s.objectF1 : NaN)), mean((s) => (s.kind === 'nuclei' ? s.meanImageIoU : NaN))];
      const [network, budget] = key.split('|');
      lines.push(`| ${network} | ${budget} | ${cells.join(' | ')} | ${(rows.reduce((sum, row) => sum + row.msPerMegapixel, 0) / rows.length).toFixed(0)} |`);
    }
    lines.push(...agreementLines(data, ofData), '');
  }
  return lines.join('\n');
}

/** UNet++ (all heads) against the U-Net, per score, with Welch's t over seeds (as bench:accuracy's agreement table). */
function agreementLines(data: StarterName, runs: Run[]): string[] {
  if (runs.length < 2) return ['', 'Agreement: needs at least two seeds.'];
  const score = (network: string, budget: string, pick: (s: StarterScores) => number) =>
    runs.map((run) => pick((run.rows.find((row) => row.network === network && row.budget === budget) as Scored).scores));
  const metrics: [string, (s: StarterScores) => number][] = data === 'em'
    ? [['V_Rand', (s) => (s.kind === 'em' ? s.vRand : NaN)], ['pixel error', (s) => (s.kind === 'em' ? s.pixelError : NaN)], ['cell IoU', (s) => s.foregroundIoU]]
    : [['foreground IoU', (s) => s.foregroundIoU], ['object F1', (s) => (s.kind === 'nuclei' ? s.objectF1 : NaN)]];
  const lines = ['', `UNet++ (all heads) - U-Net, over ${runs.length} seeds; Welch's t below ~2: no difference beyond run-to-run noise.`, '',
    '| score | equal steps: difference | t | equal time: difference | t |', '| --- | ---: | ---: | ---: | ---: |'];
  for (const [name, pick] of metrics) {
    const cells = ['equal steps', 'equal time'].map((budget) => {
      const w = welch(score('UNet++ (all heads)', 'equal steps', pick), score('U-Net', budget, pick));
      return `${w.difference >= 0 ? '+' : ''}${w.difference.toFixed(4)} | ${w.t.toFixed(2)}`;
    });
    lines.push(`| ${name} | ${cells.join(' | ')} |`);
  }
  return lines;
}

async function main(): Promise<void> {
  const steps = Number(option('--steps', '200'));
  if (process.argv.includes('--worker')) {
    const name = option('--data', 'em') as StarterName;
    const seed = Number(option('--seed', '1'));
    const rows = await runOne(name, seed, steps);
    writeFileSync(option('--out', ''), JSON.stringify({ data: name, seed, rows } satisfies Run));
    return;
  }
  const from = option('--report-from', '');
  if (from) {
    // The report again from a run's JSON (e.g. after its wording changed), without training anything.
    const saved = JSON.parse(readFileSync(from, 'utf8')) as { date: string; steps: number; runs: Run[] };
    writeFileSync(path.join(RESULTS, 'unetpp-accuracy.md'), markdown(saved.runs, saved.steps, saved.date));
    return;
  }
  const seeds = option('--seeds', '1,2').split(',').map(Number);
  const datasets = option('--data', 'em,nuclei').split(',') as StarterName[];
  const work = path.join(os.tmpdir(), `unetpp-accuracy-${process.pid}`);
  mkdirSync(work, { recursive: true });
  const jobs = datasets.flatMap((data) => seeds.map((seed) => ({ data, seed, out: path.join(work, `${data}-${seed}.json`) })));
  const queue = [...jobs];
  const worker = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      await runChild(['--worker', '--data', job.data, '--seed', String(job.seed), '--steps', String(steps), '--out', job.out]);
    }
  };
  await Promise.all([worker(), worker()]);
  const runs = jobs.map((job) => JSON.parse(readFileSync(job.out, 'utf8')) as Run);
  const date = new Date().toISOString();
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(path.join(RESULTS, 'unetpp-accuracy.json'), `${JSON.stringify({ date, steps, unet: UNET, unetpp: UNETPP, runs }, null, 2)}\n`);
  const md = markdown(runs, steps, date);
  writeFileSync(path.join(RESULTS, 'unetpp-accuracy.md'), md);
  console.log(`\n${md}\nWrote bench/results/accuracy/unetpp-accuracy.{json,md}.`);
}

await main();
