/**
 * Writes a starter's training data for scripts/train_starter.py, computed by the studio's own code
 * (starterData.ts: decodePng, normaliseImage, interpretLabels, buildTrainingTargets), so the
 * PyTorch trainer sees exactly the inputs, classes and weight maps the studio would train on.
 * Data stays outside the repository (default: $TMPDIR/unet-starters/<name>).
 *
 * Per image: <i>.image.f32 (H x W x C), <i>.labels.i32, <i>.weights.f32 (H x W), little-endian.
 * The manifest names the network and settings to train: the fast preset (the starters' recipe), or
 * with --recipe another of trainingRecipes.ts (bench:quality --recipe tiny).
 * Usage: npx tsx scripts/starters/prepareStarterData.ts nuclei|em [outDir] [--recipe fast]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TileDrawer } from '../../src/core/train/drawTrainingTile';
import { option } from '../cliOption';
import type { StarterName } from './starterData';
import { defaultWorkDir, loadStarterImage, STARTER_NAMES, STARTERS, starterNormalisation, starterSplit, toTrainingSample } from './starterData';
import { trainingRecipe } from './trainingRecipes';

function write(file: string, array: Float32Array | Int32Array): void {
  writeFileSync(file, new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
}

function main(): void {
  const name = process.argv[2] as StarterName;
  if (!STARTER_NAMES.includes(name)) throw new Error(`Usage: prepareStarterData.ts ${STARTER_NAMES.join('|')} [outDir] [--recipe fast]`);
  const outArgument = process.argv[3];
  const out = outArgument && !outArgument.startsWith('--') ? outArgument : defaultWorkDir(name);
  mkdirSync(out, { recursive: true });
  const spec = STARTERS[name];
  const { unet, settings } = trainingRecipe(name, option('--recipe', 'fast'));
  const split = starterSplit(name);
  const samples = split.train.map((id, i) => {
    const sample = toTrainingSample(loadStarterImage(name, id));
    write(path.join(out, `${i}.image.f32`), sample.image);
    write(path.join(out, `${i}.labels.i32`), sample.labels);
    write(path.join(out, `${i}.weights.f32`), sample.weights);
    return { id, width: sample.width, height: sample.height, channels: sample.channels };
  });
  const augmentation = settings.augmentation;
  const probe = new TileDrawer([{ width: 1, height: 1, channels: 1, image: new Float32Array(1), labels: new Int32Array(1), weights: Float32Array.of(1) }],
    { inputSizePx: unet.tileSizePx, outputSizePx: unet.tileSizePx }, augmentation);
  const manifest = {
    name, unet, classNames: spec.classNames, normalisation: starterNormalisation(name), interpretation: spec.interpretation,
    targets: settings.targets, augmentation, augmentationMarginPx: probe.marginPx(),
    batchSize: settings.batchSize, optimizer: settings.optimizer, split, samples,
  };
  writeFileSync(path.join(out, 'starter.json'), JSON.stringify(manifest, null, 2));
  console.log(`${name}: ${samples.length} training images written to ${out}`);
}

main();
