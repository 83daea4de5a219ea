/**
 * How much a starter shortens time to quality on images it never saw: the studio's own training
 * (TrainingRun, fast-preset settings: Adam, batch 2, 256 px tiles, the paper's weight map, default
 * augmentation; the starter at the studio's fine-tuning rate, fresh weights at the preset's 1e-3) on
 * the fine-tune part of the held-out split, once from the starter and once from fresh weights, the
 * same data, settings, seed and training minutes. The runs alternate step by step, so all see the
 * same machine load; each counts only its own steps' time. At each
 * checkpoint both models are scored on the test part with the engine's tiled prediction (scoring
 * time not counted). tfjs wasm backend in Node, one thread. With several seeds (--seeds 1,2) the pair
 * is run once per seed (fresh initialisation and tile draws both follow the seed), to show the noise.
 *
 * With several starter learning rates (--starter-learning-rate 1e-3,1e-4) the starter is fine-tuned
 * once per rate, every arm alternating with the others, so the rates meet the same load: the first
 * arm is labelled `starter`, the others `starter lr <rate>`.
 *
 * Writes public/starters/<name>/head-start.json.
 * Usage: npx tsx scripts/starterHeadStart.ts nuclei|em [--minutes 3] [--checkpoints 0,1,2,3] [--seeds 1] [--starter-learning-rate 1e-3[,1e-4]] [--out head-start.json (beside the starter, or an absolute path)]
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { buildUNet } from '../src/core/model/buildUNet';
import type { PreparedData } from '../src/core/train/prepareTrainingData';
import { TrainingRun } from '../src/core/train/TrainingRun';
import type { TrainingSettings } from '../src/core/train/trainingSettings';
import { FAST_TRAINING } from '../src/core/train/trainingSettings';
import { useWasmBackend } from '../src/testUtils/wasmBackend';
import type { StarterImage, StarterName } from './starters/starterData';
import { loadStarterImage, STARTER_NAMES, STARTERS, starterDir, starterSplit, toTrainingSample } from './starters/starterData';
import { loadStarter } from './starters/starterScores';
import { disposeArms, trainArmsAlternately, trainingArm } from './starters/trainArmsAlternately';
import { option } from './cliOption';
import { STARTER_FINE_TUNE_LEARNING_RATE } from '../src/app/model/starterModels';

/** One pair of runs (starter, fresh) with this seed; returns both arms' checkpoints. */
async function runPair(name: StarterName, data: PreparedData, test: readonly StarterImage[], seed: number, checkpoints: readonly number[], starterLearningRates: readonly number[]) {
  const spec = STARTERS[name];
  const settings: TrainingSettings = { ...FAST_TRAINING, unet: spec.unet, steps: Number.MAX_SAFE_INTEGER, validateEverySteps: Number.MAX_SAFE_INTEGER, seed };
  const arm = (label: string, model: tf.LayersModel, learningRate: number) => ({
    ...trainingArm(label, spec.unet, model, new TrainingRun(model, data, { ...settings, optimizer: { ...settings.optimizer, learningRate } })), learningRate,
  });
  const arms = [];
  for (const [i, rate] of starterLearningRates.entries()) arms.push(arm(i === 0 ? 'starter' : `starter lr ${rate}`, (await loadStarter(name)).model, rate));
  // as bench:accuracy: layer seeds of different runs do not overlap
  arms.push(arm('fresh', buildUNet(spec.unet, seed * 1000), settings.optimizer.learningRate));
  await trainArmsAlternately(name, arms, checkpoints, test, `${name} seed ${seed}`);
  disposeArms(arms);
  return { seed, arms: arms.map((arm) => ({ label: arm.label, learningRate: arm.learningRate, steps: arm.steps, trainMinutes: arm.trainMs / 60_000, checkpoints: arm.checkpoints })) };
}

async function main(): Promise<void> {
  const name = process.argv[2] as StarterName;
  if (!STARTER_NAMES.includes(name)) throw new Error(`Usage: starterHeadStart.ts ${STARTER_NAMES.join('|')} [--minutes 3] [--checkpoints 0,1,2,3] [--seeds 1] [--starter-learning-rate 1e-3[,1e-4]] [--out head-start.json]`);
  const minutes = Number(option('--minutes', '3'));
  const checkpoints = option('--checkpoints', '0,1,2,3').split(',').map(Number).filter((m) => m <= minutes);
  if (!checkpoints.includes(minutes)) checkpoints.push(minutes);
  const seeds = option('--seeds', String(FAST_TRAINING.seed)).split(',').map(Number);
  // The starter arms' learning rates (by default the studio's fine-tuning rate; the fresh arm keeps the fast preset's); --out: another record file.
  const starterLearningRates = option('--starter-learning-rate', String(STARTER_FINE_TUNE_LEARNING_RATE)).split(',').map(Number);
  const out = option('--out', 'head-start.json');
  await useWasmBackend();
  const split = starterSplit(name);
  const fineTune = split.fineTune.map((id) => loadStarterImage(name, id));
  const test = split.test.map((id) => loadStarterImage(name, id));
  const data: PreparedData = { training: fineTune.map(toTrainingSample), validation: [], splitDescription: `fine-tune: ${split.fineTune.join(', ')}`, validationSliceIds: [] };
  const runs = [];
  for (const seed of seeds) runs.push(await runPair(name, data, test, seed, checkpoints, starterLearningRates));
  const record = {
    starter: name,
    fineTune: split.fineTune, test: split.test,
    settings: { preset: 'fast', optimizer: FAST_TRAINING.optimizer, starterLearningRate: starterLearningRates[0], starterLearningRates, batchSize: FAST_TRAINING.batchSize, tileSizePx: STARTERS[name].unet.tileSizePx, augmentation: 'the studio default', weightAverage: FAST_TRAINING.weightAverage ?? null },
    minutes,
    backend: `tfjs ${tf.version.tfjs} ${tf.getBackend()} (Node, 1 thread)`,
    runs,
    measuredAt: new Date().toISOString(),
  };
  writeFileSync(path.resolve(starterDir(name), out), `${JSON.stringify(record, null, 2)}\n`);
}

await main();
