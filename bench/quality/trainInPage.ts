/**
 * bench:quality's `--in-page` side: the recipe trained by the built studio in headless Chromium (its
 * engine worker on tfjs wasm, on every thread the cross-origin isolated page gives it), driven through
 * the engine's protocol from the page (bench/browser/pageScript.js: trainWithCheckpoints). The page
 * gets the raw images and labels, as an import gives them, and normalises and builds its targets
 * itself. Checkpoints are the page's own model exports, read back here by the studio's loader.
 */
import type { ModelMetadata } from '../../src/core/model/modelMetadata';
import { loadModelFiles } from '../../src/core/model/modelFiles';
import { namedWeights } from '../../src/core/model/namedWeights';
import type { TrainingSettings } from '../../src/core/train/trainingSettings';
import type { StarterImage, StarterName } from '../../scripts/starters/starterData';
import { STARTERS } from '../../scripts/starters/starterData';
import type { TrainingRecipe } from '../../scripts/starters/trainingRecipes';
import type { OpenedBackend } from '../browser/studioPage';
import { call } from '../browser/studioPage';
import type { Checkpoint } from './checkpoints';

const TIMEOUT_MS = 60 * 60_000;

export interface PageRun {
  readonly checkpoints: Checkpoint[];
  /** From train/start to train/started: preparing targets and building the network (not counted as training). */
  readonly setupSeconds: number;
  /** The normalisation the page's model records (its stretch limit from these training images). */
  readonly normalisation: ModelMetadata['normalisation'];
}

const base64 = (array: ArrayBufferView | null) => (array ? Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64') : null);

/** Puts the training images into the page's engine (once per page): raw pixels, classes and instance ids. */
export async function putTrainingImages(opened: OpenedBackend, images: readonly StarterImage[]): Promise<void> {
  for (const image of images) {
    await call(opened.page, 'putSliceData', {
      id: image.id, width: image.width, height: image.height, channels: image.channels,
      dtype: image.raw instanceof Uint16Array ? 'uint16' : 'uint8',
      pixels: base64(image.raw), classes: base64(image.labels.classes), instances: base64(image.labels.instances),
    }, TIMEOUT_MS);
  }
}

/** One seed's run in the page, on fresh weights, paused and exported every `every` steps. */
export async function trainInPage(opened: OpenedBackend, name: StarterName, recipe: TrainingRecipe, seed: number, maxSteps: number, every: number): Promise<PageRun> {
  // Every image trains, as on the Node side (validationFraction 0); no validation passes.
  const settings: TrainingSettings = { ...recipe.settings, unet: recipe.unet, steps: maxSteps, validationFraction: 0, validateEverySteps: Number.MAX_SAFE_INTEGER, seed };
  const run = await call<{ setupSeconds: number; checkpoints: { step: number; trainSeconds: number; modelJson: string; weights: string }[] }>(
    opened.page, 'trainWithCheckpoints', settings, every, STARTERS[name].classNames, TIMEOUT_MS);
  let normalisation: ModelMetadata['normalisation'] | null = null;
  const checkpoints: Checkpoint[] = [];
  for (const saved of run.checkpoints) {
    const bytes = Buffer.from(saved.weights, 'base64');
    const { model, metadata } = await loadModelFiles(saved.modelJson, [bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)]);
    normalisation ??= metadata.normalisation;
    const weights = new Map([...namedWeights(model)].map(([key, variable]) => [key, new Float32Array(variable.read().dataSync())]));
    model.dispose();
    checkpoints.push({ step: saved.step, trainSeconds: saved.trainSeconds, weights });
    console.log(`[page ${seed}] step ${saved.step}, ${saved.trainSeconds.toFixed(0)} s`);
  }
  if (!normalisation) throw new Error('The page trained but gave no checkpoint.');
  return { checkpoints, setupSeconds: run.setupSeconds, normalisation };
}
