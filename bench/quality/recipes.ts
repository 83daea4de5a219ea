/**
 * `npx tsx bench/quality/recipes.ts nuclei|em [--minutes 6] [--checkpoints 1,2,4,6] [--seed 1] [--recipes tiny,fast,fast-8ch,fast-128px]`:
 * which recipe gives the best model within a few minutes of CPU training (issue 14 part 2: the presets'
 * defaults on a CPU). Every recipe trains fresh weights with the studio's own TrainingRun on the starter's
 * training split, all of them alternating step by step in one process, so they meet the same machine load;
 * each counts only its own steps' time. At each checkpoint (minutes of a recipe's own training) every
 * model is scored on the held-out images with the engine's tiled prediction (scoring time not counted).
 * tfjs wasm backend in Node, one thread. Writes bench/results/recipes-<data>-seed<seed>.json and prints a table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { buildUNet } from '../../src/core/model/buildUNet';
import type { PreparedData } from '../../src/core/train/prepareTrainingData';
import { TrainingRun } from '../../src/core/train/TrainingRun';
import { useWasmBackend } from '../../src/testUtils/wasmBackend';
import type { StarterName } from '../../scripts/starters/starterData';
import { loadStarterImage, STARTER_NAMES, starterSplit, toTrainingSample } from '../../scripts/starters/starterData';
import { trainingRecipe } from '../../scripts/starters/trainingRecipes';
import { disposeArms, trainArmsAlternately, trainingArm } from '../../scripts/starters/trainArmsAlternately';
import { option } from '../../scripts/cliOption';

const ROOT = path.resolve(import.meta.dirname, '../..');

async function main(): Promise<void> {
  const data = process.argv[2] as StarterName;
  if (!STARTER_NAMES.includes(data)) throw new Error(`Usage: recipes.ts ${STARTER_NAMES.join('|')} [--minutes 6] [--checkpoints 1,2,4,6] [--seed 1] [--recipes fast,fast-8ch]`);
  const minutes = Number(option('--minutes', '6'));
  const checkpoints = option('--checkpoints', '1,2,4,6').split(',').map(Number).filter((m) => m <= minutes);
  const seed = Number(option('--seed', '1'));
  const names = option('--recipes', 'fast,fast-8ch,fast-128px').split(',');
  const chosen = names.map((name) => trainingRecipe(data, name));

  await useWasmBackend();
  const split = starterSplit(data);
  const training: PreparedData = { training: split.train.map((id) => toTrainingSample(loadStarterImage(data, id))), validation: [], splitDescription: `train: ${split.train.length} images`, validationSliceIds: [] };
  const test = split.heldOut.map((id) => loadStarterImage(data, id));
  const arms = names.map((name, i) => {
    const recipe = chosen[i] as (typeof chosen)[number];
    const model = buildUNet(recipe.unet, seed * 1000);
    return { ...trainingArm(name, recipe.unet, model, new TrainingRun(model, training, { ...recipe.settings, unet: recipe.unet, seed })), recipe };
  });
  await trainArmsAlternately(data, arms, checkpoints, test, `${data} seed ${seed}`);
  const record = {
    data, seed, minutes, split: starterSplit(data).description,
    backend: `tfjs ${tf.version.tfjs} ${tf.getBackend()} (Node, 1 thread)`,
    arms: arms.map((arm) => ({ name: arm.label, description: arm.recipe.description, steps: arm.steps, trainMinutes: arm.trainMs / 60_000, checkpoints: arm.checkpoints })),
    measuredAt: new Date().toISOString(),
  };
  disposeArms(arms);
  const out = path.join(ROOT, 'bench/results/recipes', `recipes-${data}-seed${seed}.json`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`Wrote ${path.relative(ROOT, out)}`);
}

await main();
