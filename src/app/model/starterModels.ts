import { StudioError } from '../../core/errors';
import type { NamedBytes } from './modelZip';
import { presetDefaults, type TrainingChoices } from '../training/trainingPresets';

/**
 * The starter models shipped in public/starters/ (trained by scripts/train_starter.py; each folder
 * has model.json, its weights and card.md): a user predicts with one at once and fine-tunes it.
 */
export interface StarterModel {
  readonly id: 'nuclei' | 'em';
  /** For the "Start from" menu and the model line. */
  readonly title: string;
  /** Relative to the page (the build's base path). */
  readonly folder: string;
}

export const STARTER_MODELS: readonly StarterModel[] = [
  { id: 'nuclei', title: 'fluorescent nuclei (DSB 2018)', folder: 'starters/nuclei/' },
  { id: 'em', title: 'EM membranes (ISBI 2012)', folder: 'starters/em/' },
];

export type StarterId = StarterModel['id'];

/**
 * The learning rate "Start from: starter" sets for fine-tuning (the fast preset's is 1e-3). Measured with
 * scripts/starterHeadStart.ts, both starters, seeds 1-3, 1e-3 and 1e-4 side by side (public/starters/<name>/head-start.json,
 * with the preset's weight average): after one minute of fine-tuning, the nuclei starter's object F1 was 0.70 at 1e-3
 * (below the untuned 0.77) and 0.76 at 1e-4 (every seed at least as high); the EM starter's V_Rand 0.87 against 0.91.
 * At 3-5 minutes 1e-3 led (nuclei 0.75 against 0.71 at 5; bench/results/starter-finetune-lr/README.md): 1e-4 is for
 * the first minutes, where a user checks a starter's corrections. Choosing fresh weights again restores the preset's rate.
 */
export const STARTER_FINE_TUNE_LEARNING_RATE = 1e-4;

/**
 * The choices "Start from: fresh weights / the current model" make: fresh weights after a starter set its
 * fine-tuning rate go back to the preset's own rate (a rate the user typed stays).
 */
export function startFromPatch(choices: TrainingChoices, freshWeights: boolean): Partial<TrainingChoices> {
  const backToPreset = freshWeights && choices.learningRate === STARTER_FINE_TUNE_LEARNING_RATE;
  return backToPreset ? { freshWeights, learningRate: presetDefaults(choices.preset).learningRate } : { freshWeights };
}

export function starterModel(id: StarterId): StarterModel {
  const starter = STARTER_MODELS.find((s) => s.id === id);
  if (!starter) throw new StudioError('invalid-config', `There is no starter model "${id}".`);
  return starter;
}

type FetchFn = (url: string) => Promise<Pick<Response, 'ok' | 'status' | 'arrayBuffer'>>;

/**
 * A starter's model.json and the weight files its manifest names, from the page's own origin (the
 * service worker has them cached for offline use), as the files a user would choose.
 */
export async function fetchStarterFiles(id: StarterId, base: string, fetchFn: FetchFn = (url) => fetch(url)): Promise<NamedBytes[]> {
  const { folder, title } = starterModel(id);
  const get = async (name: string): Promise<NamedBytes> => {
    const response = await fetchFn(`${base}${folder}${name}`).catch((error: unknown) => {
      throw new StudioError('decode-failed', `The ${title} starter model could not be loaded (${error instanceof Error ? error.message : String(error)}).`);
    });
    if (!response.ok) throw new StudioError('decode-failed', `The ${title} starter model is missing from this build (${name}: HTTP ${response.status}).`);
    return { name, bytes: new Uint8Array(await response.arrayBuffer()) };
  };
  const modelJson = await get('model.json');
  let paths: string[];
  try {
    const parsed = JSON.parse(new TextDecoder().decode(modelJson.bytes)) as { weightsManifest?: { paths?: string[] }[] };
    paths = (parsed.weightsManifest ?? []).flatMap((group) => group.paths ?? []);
  } catch {
    throw new StudioError('decode-failed', `The ${title} starter's model.json is not JSON.`);
  }
  // Only plain file names in the starter's own folder: a manifest cannot send the page elsewhere.
  const names = paths.map((p) => p.replace(/^\.\//, ''));
  if (names.length === 0 || names.some((n) => !/^[\w.-]+$/.test(n))) throw new StudioError('decode-failed', `The ${title} starter's model.json lists no usable weight files.`);
  return [modelJson, ...(await Promise.all(names.map(get)))];
}
