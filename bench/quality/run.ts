/**
 * `npm run bench:quality`: time to quality, ours against PyTorch CPU. Both train the studio's fast
 * preset (depth 4, 16 base channels, same padding, batch norm, dropout 0.2; Adam 1e-3 on the recipe's schedule;
 * 256 px tiles, batch 2; the paper's weight map; the default augmentation) on the same inputs, classes
 * and weight maps (computed once by the studio's code: scripts/starters/prepareStarterData.ts), one
 * thread each, at the same time on the same machine. Ours: TrainingRun on tfjs wasm in Node. PyTorch:
 * scripts/train_starter.py --constant-lr or --cosine-lr (the layer-by-layer parity reference of our U-Net; with --ema
 * where the recipe keeps a weight average, each side then scored on its average). Each side
 * keeps its weights every --every steps with its own training seconds (saving not counted). Then every
 * checkpoint is scored on the held-out images by the same code (the engine's tiled prediction,
 * scripts/starters/starterScores.ts), coarse to fine (every --stride-th first): the first checkpoint at
 * or above a bar gives that side's time to it, and the first from which --hold checkpoints in a row are
 * at the bar its steadier time (bench/quality/scoreCheckpoints.ts).
 *
 * Datasets: nuclei (DSB 2018 fluorescence, the nuclei starter's split: 66 train, 17 held out; bars:
 * foreground IoU >= 0.85, then also object F1 at IoU 0.5 >= 0.70) and em (ISBI 2012 0-14 / 15-19;
 * bars: V_Rand >= 0.93, then >= 0.95: hours on this machine).
 *
 * --recipe tiny trains the tiny preset instead (depth 2, 8 base channels, 64 px tiles, Adam 5e-3: the
 * studio's default when the engine runs on a CPU), on both sides (scripts/starters/trainingRecipes.ts).
 *
 * --in-page trains ours in the built studio in headless Chromium instead (bench/quality/trainInPage.ts:
 * the engine worker on tfjs wasm with every thread the isolated page has), and PyTorch on as many
 * threads; the two run one after the other, each alone on the machine. Records get a -page suffix.
 * --page-threads 1 opens the page without its service worker (not cross-origin isolated: wasm on one
 * thread) and runs PyTorch on one thread at the same time, as in Node; records get -page-1thread.
 *
 * Usage: npx tsx bench/quality/run.ts [--data nuclei] [--recipe fast] [--in-page [--page-threads 1]] [--seeds 1,2] [--max-steps 200] [--every 10] [--stride 5] [--hold 3] [--merge]
 * Writes bench/results/quality-<data>.{json,md} (quality-<data>-<recipe> for a recipe other than fast, then -page); with
 * --merge, the seeds already there (same recipe, steps and checkpoints) are kept beside the new ones, so
 * more seeds can be added one run at a time.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { buildUNet } from '../../src/core/model/buildUNet';
import { namedWeights } from '../../src/core/model/namedWeights';
import type { PreparedData } from '../../src/core/train/prepareTrainingData';
import { TrainingRun } from '../../src/core/train/TrainingRun';
import type { TrainingSettings } from '../../src/core/train/trainingSettings';
import { useWasmBackend } from '../../src/testUtils/wasmBackend';
import type { StarterName } from '../../scripts/starters/starterData';
import { loadStarterImage, starterSplit, toTrainingSample } from '../../scripts/starters/starterData';
import type { TrainingRecipe } from '../../scripts/starters/trainingRecipes';
import { trainingRecipe } from '../../scripts/starters/trainingRecipes';
import { runChild } from '../runChild';
import { StudioBrowser } from '../browser/studioPage';
import type { Checkpoint } from './checkpoints';
import { readTorchCheckpoints } from './checkpoints';
import { putTrainingImages, trainInPage } from './trainInPage';
import type { Run } from './report';
import { earlierRuns, markdown } from './report';
import type { SideResult } from './scoreCheckpoints';
import { BARS, scoreUntilBars } from './scoreCheckpoints';
import { option } from '../../scripts/cliOption';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';

/** Our side: the studio's TrainingRun, weights copied out every `every` steps with the training seconds so far. */
async function trainOurs(recipe: TrainingRecipe, data: PreparedData, seed: number, maxSteps: number, every: number): Promise<Checkpoint[]> {
  const unet = recipe.unet;
  const settings: TrainingSettings = { ...recipe.settings, unet, steps: maxSteps, validateEverySteps: Number.MAX_SAFE_INTEGER, seed };
  const model = buildUNet(unet, seed * 1000);
  const training = new TrainingRun(model, data, settings);
  const checkpoints: Checkpoint[] = [];
  let trainMs = 0;
  for (let step = 1; step <= maxSteps; step++) {
    const start = performance.now();
    await training.step();
    trainMs += performance.now() - start;
    if (step % every !== 0) continue;
    const restoreTrained = training.presentResult(); // the model the studio would give now: the weight average, where the recipe keeps one
    const weights = new Map([...namedWeights(model)].map(([key, variable]) => [key, new Float32Array(variable.read().dataSync())]));
    restoreTrained();
    checkpoints.push({ step, trainSeconds: trainMs / 1000, weights });
    console.log(`[ours ${seed}] step ${step}, ${(trainMs / 1000).toFixed(0)} s`);
  }
  training.dispose();
  model.dispose();
  return checkpoints;
}

async function main(): Promise<void> {
  const name = option('--data', 'nuclei') as StarterName;
  if (!(name in BARS)) throw new Error('Usage: run.ts [--data nuclei|em] [--recipe fast|tiny] [--in-page [--page-threads 1]] [--seeds 1,2] [--max-steps 200] [--every 10] [--stride 5] [--hold 3] [--merge]');
  const recipeName = option('--recipe', 'fast');
  const recipe = trainingRecipe(name, recipeName);
  const inPage = process.argv.includes('--in-page');
  const pageSuffix = option('--page-threads', 'all') === '1' ? '-page-1thread' : '-page';
  const stem = `quality-${name}${recipeName === 'fast' ? '' : `-${recipeName}`}${inPage ? pageSuffix : ''}`;
  const seeds = option('--seeds', '1,2').split(',').map(Number);
  const maxSteps = Number(option('--max-steps', '200'));
  const every = Number(option('--every', '10'));
  const results = path.join(ROOT, 'bench/results');
  // Read (and checked) before training, so a record that cannot be merged stops the run at once, not after it.
  const earlier = process.argv.includes('--merge') ? earlierRuns(path.join(results, `${stem}.json`), { recipe: recipeName, maxSteps, every }, seeds) : [];
  const stride = Number(option('--stride', '5'));
  const hold = Number(option('--hold', '3'));
  const work = path.join(os.tmpdir(), `unet-quality-${process.pid}`);
  await runChild('prepare', process.execPath, [...process.execArgv, path.join(ROOT, 'scripts/starters/prepareStarterData.ts'), name, work, '--recipe', recipeName]);
  await useWasmBackend();
  const split = starterSplit(name);
  const test = split.heldOut.map((id) => loadStarterImage(name, id));
  const runs: Run[] = [];
  /** PyTorch's run (a child process); its checkpoints are scored afterwards, so scoring never overlaps our training. */
  const trainTorch = async (seed: number, threads: number): Promise<() => Promise<SideResult>> => {
    const torchDir = path.join(work, `torch-${seed}`);
    // A recipe that averages the weights is scored on PyTorch's average too (train_starter.py --ema: <checkpoints>-ema<decay>).
    const average = recipe.settings.weightAverage ? String(recipe.settings.weightAverage.decay) : null;
    await runChild(`pytorch ${seed}`, PYTHON, [path.join(ROOT, 'scripts/train_starter.py'), name, '--work', work, '--steps', String(maxSteps), '--threads', String(threads), '--seed', String(seed),
      recipe.settings.optimizer.schedule === 'cosine' ? '--cosine-lr' : '--constant-lr', '--checkpoint-every', String(every), '--checkpoints', torchDir, ...(average ? ['--ema', average] : [])]);
    // training.json may hold NaN (a loss before its first 25-step window), which JSON.parse refuses: read the one field.
    const torchBackend = /"backend": "([^"]*)"/.exec(readFileSync(path.join(work, 'training.json'), 'utf8'))?.[1] ?? 'PyTorch';
    return () => scoreUntilBars(name, recipe.unet, 'pytorch', torchBackend, readTorchCheckpoints(average ? `${torchDir}-ema${average}` : torchDir), test, { stride, hold });
  };
  let how = 'Both at once, one thread each (the side that finishes its steps first leaves the other alone on the machine for the rest).';
  if (inPage) {
    // --page-threads 1: the page without its service worker is not cross-origin isolated, so wasm runs on
    // one thread, beside PyTorch on one (as in Node). Otherwise every thread, and PyTorch on as many after it.
    const oneThread = option('--page-threads', 'all') === '1';
    const studio = new StudioBrowser(oneThread ? '&no-service-worker' : '');
    try {
      const opened = await studio.open('wasm');
      const threads = opened.report.threads ?? 1;
      if (oneThread && threads !== 1) throw new Error(`--page-threads 1: the page runs wasm on ${threads} threads.`);
      await putTrainingImages(opened, split.train.map((id) => loadStarterImage(name, id)));
      const setups: number[] = [];
      for (const seed of seeds) {
        const torch = oneThread ? trainTorch(seed, 1) : null;
        const page = await trainInPage(opened, name, recipe, seed, maxSteps, every);
        const scoreTorch = await (torch ?? trainTorch(seed, threads));
        setups.push(page.setupSeconds);
        // Scored as the page's model normalises (its own stretch limit), as the studio would predict with it.
        const pageTest = split.heldOut.map((id) => loadStarterImage(name, id, page.normalisation));
        const ours = await scoreUntilBars(name, recipe.unet, 'ours', `the built studio in headless Chromium, tfjs ${tf.version.tfjs} wasm (${opened.adapter})`, page.checkpoints, pageTest, { stride, hold });
        runs.push({ seed, ours, pytorch: await scoreTorch(), oursSetupSeconds: page.setupSeconds });
      }
      how = `${oneThread ? 'Both at once, one thread each (the side that finishes its steps first leaves the other alone on the machine for the rest)' : `One after the other, alone on the machine, ${threads} thread${threads === 1 ? '' : 's'} each`}. ` +
        'Ours is the built studio in headless Chromium: its engine worker, driven through its protocol from the page, gets the raw images and labels ' +
        'and normalises and builds its targets itself; it pauses and exports its model at each checkpoint (paused time not counted); the set-up ' +
        `before its first step (targets, network: ${setups.map((x) => x.toFixed(1)).join(', ')} s) is not counted either.`;
    } finally {
      await studio.close();
    }
  } else {
    const training = split.train.map((id) => toTrainingSample(loadStarterImage(name, id)));
    const data: PreparedData = { training, validation: [], splitDescription: `train: ${split.train.length} images`, validationSliceIds: [] };
    for (const seed of seeds) {
      const torch = trainTorch(seed, 1);
      const ours = await trainOurs(recipe, data, seed, maxSteps, every);
      const scoreTorch = await torch;
      runs.push({ seed, ours: await scoreUntilBars(name, recipe.unet, 'ours', `tfjs ${tf.version.tfjs} ${tf.getBackend()} (Node, 1 thread)`, ours, test, { stride, hold }), pytorch: await scoreTorch() });
    }
  }
  const date = new Date().toISOString();
  for (const run of runs) run.measuredAt ??= date;
  mkdirSync(results, { recursive: true });
  runs.unshift(...earlier);
  const strip = (side: SideResult) => ({ ...side, scored: side.scored });
  writeFileSync(path.join(results, `${stem}.json`), `${JSON.stringify({ date, data: name, recipe: recipeName, maxSteps, every, stride, hold, bars: BARS[name].map((b) => b.name), protocol: how, runs: runs.map((r) => ({ seed: r.seed, measuredAt: r.measuredAt, ...(r.oursSetupSeconds !== undefined ? { oursSetupSeconds: r.oursSetupSeconds } : {}), ours: strip(r.ours), pytorch: strip(r.pytorch) })) }, null, 2)}\n`);
  const md = markdown(name, recipe, runs, how, { maxSteps, every, stride, hold }, date);
  writeFileSync(path.join(results, `${stem}.md`), md);
  rmSync(work, { recursive: true, force: true });
  console.log(`\n${md}\nWrote bench/results/${stem}.{json,md}.`);
}

await main();
