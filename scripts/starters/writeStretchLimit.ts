/**
 * Writes the stretch limit of a starter's train split (starterNormalisation) into the shipped model's
 * metadata (public/starters/<name>/model.json and metadata.json), weights unchanged: the starters
 * exported before the limit existed stretched an empty field's noise to 0..1. Loads the files with
 * the studio's loadModelFiles (every import check), saves them with saveModelFiles, loads them back.
 * exportStarter.ts writes the limit itself; this brings already exported starters level.
 *
 * Usage: npx tsx scripts/starters/writeStretchLimit.ts nuclei|em
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadModelFiles, saveModelFiles } from '../../src/core/model/modelFiles';
import type { StarterName } from './starterData';
import { STARTER_NAMES, starterDir, starterNormalisation } from './starterData';
import { loadStarter } from './starterScores';

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const name = process.argv[2] as StarterName;
  if (!STARTER_NAMES.includes(name)) throw new Error(`Usage: writeStretchLimit.ts ${STARTER_NAMES.join('|')}`);
  const dir = starterDir(name);
  const weightsBefore = readFileSync(path.join(dir, 'model.weights.bin'));
  const { model, metadata } = await loadStarter(name);
  const normalisation = starterNormalisation(name);
  const files = await saveModelFiles(model, { ...metadata, normalisation }, 'model');
  model.dispose();
  if (!Buffer.from(files.weights).equals(weightsBefore)) throw new Error(`${name}: the weights would change; nothing written.`);
  (await loadModelFiles(files.modelJson, [files.weights])).model.dispose();
  writeFileSync(path.join(dir, 'model.json'), files.modelJson);
  writeFileSync(path.join(dir, 'metadata.json'), `${files.metadataJson}\n`);
  console.log(`${name}: normalisation ${JSON.stringify(normalisation)} written to ${dir}`);
}

await main();
