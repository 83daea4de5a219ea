/**
 * `npm run bench:quality`: time to quality, ours against PyTorch CPU. Both train the studio's fast
 * preset (depth 4, 16 base channels, same padding, batch norm, dropout 0.2; Adam 1e-3 held constant;
 * 256 px tiles, batch 2; the paper's weight map; the default augmentation) on the same inputs, classes
 * and weight maps (computed once by the studio's code: scripts/starters/prepareStarterData.ts), one
 * thread each, at the same time on the same machine. Ours: TrainingRun on tfjs wasm in Node. PyTorch:
 * scripts/train_starter.py --constant-lr (the layer-by-layer parity reference of our U-Net). Each side
 * keeps its weights every --every steps with its own training seconds (saving not counted). Then every
 * checkpoint is scored on the held-out images by the same code (the engine's tiled prediction,
 * scripts/starters/starterScores.ts), coarse to fine (every --stride-th first): the first checkpoint at
 * or above a bar gives that side's time to it.
 *
 * Datasets: nuclei (DSB 2018 fluorescence, the nuclei starter's split: 66 train, 17 held out; bars:
 * foreground IoU >= 0.85, then also object F1 at IoU 0.5 >= 0.70) and em (ISBI 2012 0-14 / 15-19;
 * bars: V_Rand >= 0.93, then >= 0.95: hours on this machine).
 *
 * --recipe tiny trains the tiny preset instead (depth 2, 8 base channels, 64 px tiles, Adam 5e-3: the
 * studio's default when the engine runs on a CPU), on both sides (scripts/starters/trainingRecipes.ts).
 *
 * Usage: npx tsx bench/quality/run.ts [--data nuclei] [--recipe fast] [--seeds 1,2] [--max-steps 200] [--every 10] [--stride 5] [--merge]
 * Writes bench/results/quality-<data>.{json,md} (quality-<data>-<recipe> for a recipe other than fast); with
 * --merge, the seeds already there (same recipe, steps and checkpoints) are kept beside the new ones, so
 * more seeds can be added one run at a time.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { buildUNet } from '../../src/core/model/buildUNet';
import { namedWeights } from '../../src/core/model/namedWeights';
import type { PreparedData } from '../../src/core/train/prepareTrainingData';
import { TrainingRun } from '../../src/core/train/TrainingRun';
import type { TrainingSettings } from '../../src/core/train/trainingSettings';
import { useWasmBackend } from '../../src/testUtils/wasmBackend';
import type { StarterImage, StarterName } from '../../scripts/starters/starterData';
import { loadStarterImage, starterSplit, toTrainingSample } from '../../scripts/starters/starterData';
import type { StarterScores } from '../../scripts/starters/starterScores';
import { describeScores, scoreModel } from '../../scripts/starters/starterScores';
import type { TrainingRecipe } from '../../scripts/starters/trainingRecipes';
import { trainingRecipe } from '../../scripts/starters/trainingRecipes';
import { runChild } from '../runChild';
import { option } from '../../scripts/cliOption';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';

interface Bar { readonly name: string; readonly reached: (s: StarterScores) => boolean }

const BARS: Record<StarterName, readonly Bar[]> = {
  nuclei: [
    { name: 'foreground IoU >= 0.85', reached: (s) => s.foregroundIoU >= 0.85 },
    { name: 'foreground IoU >= 0.85 and object F1 >= 0.70', reached: (s) => s.kind === 'nuclei' && s.foregroundIoU >= 0.85 && s.objectF1 >= 0.7 },
  ],
  em: [
    { name: 'V_Rand >= 0.93', reached: (s) => s.kind === 'em' && s.vRand >= 0.93 },
    { name: 'V_Rand >= 0.95', reached: (s) => s.kind === 'em' && s.vRand >= 0.95 },
  ],
};

interface Checkpoint { readonly step: number; readonly trainSeconds: number; readonly weights: Map<string, Float32Array> }
interface ScoredCheckpoint { readonly step: number; readonly trainSeconds: number; readonly scores: StarterScores }
interface SideResult {
  readonly side: 'ours' | 'pytorch';
  readonly backend: string;
  readonly scored: ScoredCheckpoint[];
  /** Per bar: the first checkpoint that reached it, or null. */
  readonly reached: ({ step: number; trainSeconds: number } | null)[];
  /** Steps and seconds trained in all (the budget, when a bar was not reached). */
  readonly trainedSteps: number;
  readonly trainedSeconds: number;
}

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
    const weights = new Map([...namedWeights(model)].map(([key, variable]) => [key, new Float32Array(variable.read().dataSync())]));
    checkpoints.push({ step, trainSeconds: trainMs / 1000, weights });
    console.log(`[ours ${seed}] step ${step}, ${(trainMs / 1000).toFixed(0)} s`);
  }
  training.dispose();
  model.dispose();
  return checkpoints;
}

/** PyTorch's checkpoints (train_starter.py --checkpoint-every): tfjs-layout float32 arrays keyed by layer name. */
function readTorchCheckpoints(dir: string): Checkpoint[] {
  const list = JSON.parse(readFileSync(path.join(dir, 'checkpoints.json'), 'utf8')) as { step: number; trainSeconds: number }[];
  return list.map(({ step, trainSeconds }) => {
    const specs = JSON.parse(readFileSync(path.join(dir, `step${step}.json`), 'utf8')) as { name: string; shape: number[]; offset: number }[];
    const bytes = readFileSync(path.join(dir, `step${step}.bin`));
    const weights = new Map(specs.map(({ name, shape, offset }) => {
      const count = shape.reduce((a, b) => a * b, 1);
      return [name, new Float32Array(bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + count * 4))] as const;
    }));
    return { step, trainSeconds, weights };
  });
}

/**
 * The first checkpoint reaching each bar, scoring as few as it can: every `stride`-th checkpoint first,
 * then, below the first coarse one that reached a bar, the ones between it and the coarse one before
 * (in order). Scores are not strictly monotonic, so a checkpoint before the found one that reached a
 * bar between two coarse ones that did not can be missed; the table lists every checkpoint scored.
 */
async function scoreUntilBars(name: StarterName, unet: TrainingRecipe['unet'], side: SideResult['side'], backend: string, checkpoints: Checkpoint[], test: readonly StarterImage[], stride: number): Promise<SideResult> {
  const model = buildUNet(unet, 1);
  const variables = namedWeights(model);
  const bars = BARS[name];
  const scored = new Map<number, ScoredCheckpoint>();
  const scoreAt = async (index: number): Promise<StarterScores> => {
    const checkpoint = checkpoints[index] as Checkpoint;
    const done = scored.get(index);
    if (done) return done.scores;
    for (const [key, values] of checkpoint.weights) {
      const variable = variables.get(key);
      if (!variable) throw new Error(`${side}: no weight named ${key} in the studio's U-Net.`);
      variable.write(tf.tensor(values, variable.shape as number[], 'float32'));
    }
    const scores = await scoreModel(name, model, unet, test);
    scored.set(index, { step: checkpoint.step, trainSeconds: checkpoint.trainSeconds, scores });
    console.log(`[${side}] step ${checkpoint.step} (${checkpoint.trainSeconds.toFixed(0)} s): ${describeScores(scores)}`);
    return scores;
  };
  const coarse = checkpoints.map((_, i) => i).filter((i) => (i + 1) % stride === 0 || i === checkpoints.length - 1);
  const reached: SideResult['reached'] = [];
  for (const bar of bars) {
    let found: number | null = null;
    for (const [k, index] of coarse.entries()) {
      if (!bar.reached(await scoreAt(index))) continue;
      found = index;
      for (let finer = (k > 0 ? (coarse[k - 1] as number) + 1 : 0); finer < index; finer++) {
        if (bar.reached(await scoreAt(finer))) { found = finer; break; }
      }
      break;
    }
    const at = found === null ? null : (checkpoints[found] as Checkpoint);
    reached.push(at ? { step: at.step, trainSeconds: at.trainSeconds } : null);
  }
  model.dispose();
  const last = checkpoints.at(-1);
  return { side, backend, scored: [...scored.values()].sort((a, b) => a.step - b.step), reached, trainedSteps: last?.step ?? 0, trainedSeconds: last?.trainSeconds ?? 0 };
}

function markdown(name: StarterName, recipe: TrainingRecipe, runs: Run[], maxSteps: number, every: number, stride: number, date: string): string {
  const bars = BARS[name];
  const time = (r: { trainSeconds: number; step: number } | null, side: SideResult) => (r ? `${(r.trainSeconds / 60).toFixed(2)} min (step ${r.step})` : `not in ${side.trainedSteps} steps (${(side.trainedSeconds / 60).toFixed(1)} min)`);
  const dates = [...new Set(runs.map((r) => r.measuredAt ?? date))];
  const lines = [
    `# Time to quality: ours against PyTorch CPU (${name === 'nuclei' ? 'DSB 2018 nuclei' : 'ISBI 2012'})`,
    '',
    `${dates.length > 1 ? `Seeds ${runs.map((r) => `${r.seed} at ${r.measuredAt ?? date}`).join(', ')}` : date}, ${os.cpus()[0]?.model ?? 'CPU'} (${os.cpus().length} cores, shared with other work), Node ${process.version}.`,
    `Ours: ${runs[0]?.ours.backend}. PyTorch: ${runs[0]?.pytorch.backend}. Both at once, one thread each.`,
    '',
    `Recipe (both): ${recipe.description}, the learning rate held constant, the paper's weight map, the default augmentation; ` +
      `the ${name} starter's split (${starterSplit(name).description}). Checkpoints every ${every} steps up to ${maxSteps}; training seconds only (saving and scoring not counted); ` +
      'checkpoints scored on the held-out images with the engine\'s tiled prediction (scripts/starters/starterScores.ts), coarse to fine: ' +
      `every ${stride}th first, then those before the first coarse one that reached a bar.`,
    '',
    `| seed | bar | ours | PyTorch | ours / PyTorch |`,
    '| ---: | --- | ---: | ---: | ---: |',
  ];
  const ratios: number[][] = bars.map(() => []);
  for (const { seed, ours, pytorch } of runs) {
    bars.forEach((bar, i) => {
      const a = ours.reached[i] ?? null;
      const b = pytorch.reached[i] ?? null;
      const ratio = a && b ? a.trainSeconds / b.trainSeconds : null;
      if (ratio !== null) ratios[i]?.push(ratio);
      lines.push(`| ${seed} | ${bar.name} | ${time(a, ours)} | ${time(b, pytorch)} | ${ratio !== null ? ratio.toFixed(2) : 'n/a'} |`);
    });
  }
  lines.push('', 'Headline (mean over seeds where both reached the bar):', '');
  bars.forEach((bar, i) => {
    const r = ratios[i] ?? [];
    lines.push(`- ${bar.name}: ours / PyTorch ${r.length > 0 ? `${(r.reduce((a, b) => a + b, 0) / r.length).toFixed(2)} (${r.map((x) => x.toFixed(2)).join(', ')})` : 'n/a'}; the goal is at most 1.5.`);
  });
  lines.push('', 'Scores at each scored checkpoint:', '', '| seed | side | step | train min | score |', '| ---: | --- | ---: | ---: | --- |');
  for (const { seed, ours, pytorch } of runs) {
    for (const side of [ours, pytorch]) for (const c of side.scored) lines.push(`| ${seed} | ${side.side} | ${c.step} | ${(c.trainSeconds / 60).toFixed(2)} | ${describeScores(c.scores)} |`);
  }
  return `${lines.join('\n')}\n`;
}

type Run = { seed: number; ours: SideResult; pytorch: SideResult; measuredAt?: string };

/** The runs of an earlier record with the same budget and checkpoints, except the seeds run again now. */
function earlierRuns(file: string, budget: { recipe: string; maxSteps: number; every: number }, seeds: readonly number[]): Run[] {
  if (!existsSync(file)) return [];
  const earlier = JSON.parse(readFileSync(file, 'utf8')) as { date: string; recipe?: string; maxSteps: number; every: number; runs: Run[] };
  // Records from before --recipe existed trained the fast preset.
  const recipe = earlier.recipe ?? 'fast';
  if (recipe !== budget.recipe || earlier.maxSteps !== budget.maxSteps || earlier.every !== budget.every) {
    throw new Error(`--merge: ${file} has the ${recipe} recipe, ${earlier.maxSteps} steps with checkpoints every ${earlier.every}; this run ${budget.recipe}, ${budget.maxSteps} and ${budget.every}.`);
  }
  return earlier.runs.filter((run) => !seeds.includes(run.seed)).map((run) => ({ ...run, measuredAt: run.measuredAt ?? earlier.date }));
}

async function main(): Promise<void> {
  const name = option('--data', 'nuclei') as StarterName;
  if (!(name in BARS)) throw new Error('Usage: run.ts [--data nuclei|em] [--recipe fast|tiny] [--seeds 1,2] [--max-steps 200] [--every 10]');
  const recipeName = option('--recipe', 'fast');
  const recipe = trainingRecipe(name, recipeName);
  const stem = recipeName === 'fast' ? `quality-${name}` : `quality-${name}-${recipeName}`;
  const seeds = option('--seeds', '1,2').split(',').map(Number);
  const maxSteps = Number(option('--max-steps', '200'));
  const every = Number(option('--every', '10'));
  const results = path.join(ROOT, 'bench/results');
  // Read (and checked) before training, so a record that cannot be merged stops the run at once, not after it.
  const earlier = process.argv.includes('--merge') ? earlierRuns(path.join(results, `${stem}.json`), { recipe: recipeName, maxSteps, every }, seeds) : [];
  const stride = Number(option('--stride', '5'));
  const work = path.join(os.tmpdir(), `unet-quality-${process.pid}`);
  await runChild('prepare', process.execPath, [...process.execArgv, path.join(ROOT, 'scripts/starters/prepareStarterData.ts'), name, work, '--recipe', recipeName]);
  await useWasmBackend();
  const split = starterSplit(name);
  const training = split.train.map((id) => toTrainingSample(loadStarterImage(name, id)));
  const test = split.heldOut.map((id) => loadStarterImage(name, id));
  const data: PreparedData = { training, validation: [], splitDescription: `train: ${split.train.length} images`, validationSliceIds: [] };
  const runs: Run[] = [];
  for (const seed of seeds) {
    const torchDir = path.join(work, `torch-${seed}`);
    const torch = runChild(`pytorch ${seed}`, PYTHON, [path.join(ROOT, 'scripts/train_starter.py'), name, '--work', work, '--steps', String(maxSteps), '--threads', '1', '--seed', String(seed),
      '--constant-lr', '--checkpoint-every', String(every), '--checkpoints', torchDir]);
    const ours = await trainOurs(recipe, data, seed, maxSteps, every);
    await torch;
    // training.json may hold NaN (a loss before its first 25-step window), which JSON.parse refuses: read the one field.
    const torchBackend = /"backend": "([^"]*)"/.exec(readFileSync(path.join(work, 'training.json'), 'utf8'))?.[1] ?? 'PyTorch';
    runs.push({
      seed,
      ours: await scoreUntilBars(name, recipe.unet, 'ours', `tfjs ${tf.version.tfjs} ${tf.getBackend()} (Node, 1 thread)`, ours, test, stride),
      pytorch: await scoreUntilBars(name, recipe.unet, 'pytorch', torchBackend, readTorchCheckpoints(torchDir), test, stride),
    });
  }
  const date = new Date().toISOString();
  for (const run of runs) run.measuredAt ??= date;
  mkdirSync(results, { recursive: true });
  runs.unshift(...earlier);
  const strip = (side: SideResult) => ({ ...side, scored: side.scored });
  writeFileSync(path.join(results, `${stem}.json`), `${JSON.stringify({ date, data: name, recipe: recipeName, maxSteps, every, bars: BARS[name].map((b) => b.name), runs: runs.map((r) => ({ seed: r.seed, measuredAt: r.measuredAt, ours: strip(r.ours), pytorch: strip(r.pytorch) })) }, null, 2)}\n`);
  const md = markdown(name, recipe, runs, maxSteps, every, stride, date);
  writeFileSync(path.join(results, `${stem}.md`), md);
  rmSync(work, { recursive: true, force: true });
  console.log(`\n${md}\nWrote bench/results/${stem}.{json,md}.`);
}

await main();
