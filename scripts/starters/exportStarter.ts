/**
 * PyTorch weights (train_starter.py's weights.json + weights.bin, tfjs layout, keyed by layer name)
 * -> public/starters/<name>/model.json + model.weights.bin + metadata.json, saved by the studio's own
 * buildUNet + saveModelFiles, then loaded back with loadModelFiles (every import check) as proof.
 *
 * Usage: npx tsx scripts/starters/exportStarter.ts nuclei|em [workDir]
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { buildUNet } from '../../src/core/model/buildUNet';
import { loadModelFiles, saveModelFiles } from '../../src/core/model/modelFiles';
import type { ModelMetadata } from '../../src/core/model/modelMetadata';
import { namedWeights } from '../../src/core/model/namedWeights';
import { outputSizePx } from '../../src/core/geometry/tileGeometry';
import type { StarterName } from './starterData';
import { defaultWorkDir, STARTER_NAMES, STARTERS, starterDir, starterNormalisation } from './starterData';

interface WeightSpec { name: string; shape: number[]; offset: number }
interface TrainingRecord { steps: number; minutes: number; finalLoss: number; backend: string }

export const STARTER_PRESET = (name: StarterName, steps: number) => `fast (starter "${name}", scripts/train_starter.py, ${steps} steps)`;

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const name = process.argv[2] as StarterName;
  if (!STARTER_NAMES.includes(name)) throw new Error(`Usage: exportStarter.ts ${STARTER_NAMES.join('|')} [workDir]`);
  const work = process.argv[3] ?? defaultWorkDir(name);
  const spec = STARTERS[name];
  const specs = JSON.parse(readFileSync(path.join(work, 'weights.json'), 'utf8')) as WeightSpec[];
  const bytes = readFileSync(path.join(work, 'weights.bin'));
  const record = JSON.parse(readFileSync(path.join(work, 'training.json'), 'utf8')) as TrainingRecord;
  const model = buildUNet(spec.unet);
  const byName = namedWeights(model);
  if (byName.size !== specs.length) throw new Error(`PyTorch wrote ${specs.length} arrays; the tfjs model has ${byName.size}.`);
  for (const { name: key, shape, offset } of specs) {
    const variable = byName.get(key);
    if (!variable) throw new Error(`No tfjs weight named ${key}.`);
    if (variable.shape.join('x') !== shape.join('x')) throw new Error(`${key}: PyTorch ${shape.join('x')}, tfjs ${variable.shape.join('x')}.`);
    const count = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + count * 4));
    variable.write(tf.tensor(values, shape, 'float32'));
  }
  const outputTilePx = outputSizePx(spec.unet.tileSizePx, spec.unet);
  const metadata: ModelMetadata = {
    format: 'unet-studio/1',
    architecture: spec.unet,
    tile: { inputTilePx: spec.unet.tileSizePx, outputTilePx, borderPx: (spec.unet.tileSizePx - outputTilePx) / 2 },
    normalisation: starterNormalisation(name),
    classNames: spec.classNames,
    training: { steps: record.steps, preset: STARTER_PRESET(name, record.steps), finalLoss: record.finalLoss, bestValidationLoss: null, backend: record.backend, savedAt: new Date().toISOString() },
  };
  const files = await saveModelFiles(model, metadata, 'model');
  model.dispose();
  const loaded = await loadModelFiles(files.modelJson, [files.weights]); // the studio's import checks
  loaded.model.dispose();
  const dir = starterDir(name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'model.json'), files.modelJson);
  writeFileSync(path.join(dir, files.weightsFileName), new Uint8Array(files.weights));
  writeFileSync(path.join(dir, 'metadata.json'), `${files.metadataJson}\n`);
  copyFileSync(path.join(work, 'training.json'), path.join(dir, 'training.json')); // steps, minutes, loss curve
  console.log(`${name}: ${dir} (model.json ${files.modelJson.length} B, ${files.weightsFileName} ${files.weights.byteLength} B)`);
}

await main();
