/**
 * Scores a shipped starter (public/starters/<name>/) on its held-out split with the studio's own
 * code: loadModelFiles, the engine's tiled prediction on tfjs's wasm backend, the project's scorers.
 * Writes public/starters/<name>/scores.json (the numbers the card quotes).
 *
 * Usage: npx tsx scripts/evaluateStarter.ts nuclei|em [--split heldOut|test|train]
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { useWasmBackend } from '../src/testUtils/wasmBackend';
import type { StarterName, StarterSplit } from './starters/starterData';
import { emptyFieldScores } from './starters/emptyFields';
import { loadStarterImage, STARTER_NAMES, starterDir, starterNormalisation, starterSplit } from './starters/starterData';
import { describeScores, loadStarter, scoreModel } from './starters/starterScores';

async function main(): Promise<void> {
  const name = process.argv[2] as StarterName;
  if (!STARTER_NAMES.includes(name)) throw new Error(`Usage: evaluateStarter.ts ${STARTER_NAMES.join('|')} [--split heldOut|test|train]`);
  const at = process.argv.indexOf('--split');
  const part = (at > 0 ? process.argv[at + 1] : 'heldOut') as keyof Omit<StarterSplit, 'description'>;
  await useWasmBackend();
  const { model, metadata } = await loadStarter(name);
  const split = starterSplit(name);
  const ids = split[part];
  const start = Date.now();
  const images = ids.map((id) => loadStarterImage(name, id));
  const scores = await scoreModel(name, model, metadata.architecture, images);
  const seconds = (Date.now() - start) / 1000;
  console.log(`${name} on ${part} (${ids.length} images, ${seconds.toFixed(0)} s, tfjs ${tf.getBackend()}): ${describeScores(scores)}`);
  // Nuclei: what it calls foreground on empty fields of the same images (fields of view with no nucleus).
  const emptyFields = name === 'nuclei' ? await emptyFieldScores(model, metadata.architecture, images, starterNormalisation(name)) : null;
  if (emptyFields) console.log(`empty fields: ${emptyFields.fields} of ${emptyFields.sidePx} px, foreground ${(emptyFields.meanForeground * 100).toFixed(1)} % on average (max ${(emptyFields.maxForeground * 100).toFixed(1)} %), ${emptyFields.fieldsOver5Percent} over 5 %`);
  if (part === 'heldOut') {
    const record = { starter: name, split: part, splitDescription: split.description, ids, scores, ...(emptyFields ? { emptyFields } : {}), backend: `tfjs ${tf.version.tfjs} ${tf.getBackend()} (Node)`,
      prediction: 'the engine\'s tiled prediction (studioPredictionTiling, batch norm folded, predictTiled, argmax; objects by separateInstances), no test-time augmentation',
      steps: metadata.training.steps, evaluatedAt: new Date().toISOString() };
    writeFileSync(path.join(starterDir(name), 'scores.json'), `${JSON.stringify(record, null, 2)}\n`);
  }
  model.dispose();
}

await main();
