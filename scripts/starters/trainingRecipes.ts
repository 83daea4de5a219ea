/**
 * The recipes bench:quality and bench/quality/recipes.ts train: the fast preset (the starters' network and
 * settings), cheaper variants of it, and the tiny preset (the studio's default when the engine runs on a
 * CPU). prepareStarterData.ts writes a recipe's network and settings into the manifest that
 * scripts/train_starter.py reads, so the PyTorch peer trains the same recipe.
 */
import type { UNetConfig } from '../../src/core/model/unetConfig';
import type { TrainingSettings } from '../../src/core/train/trainingSettings';
import { FAST_TRAINING } from '../../src/core/train/trainingSettings';
import { TINY_TRAINING, TINY_UNET } from '../../src/app/training/trainingPresets';
import type { StarterName } from './starterData';
import { STARTERS } from './starterData';

export interface TrainingRecipe {
  readonly unet: UNetConfig;
  /** Unlimited steps and no validation: the benches decide when to stop and score on their own split. */
  readonly settings: Omit<TrainingSettings, 'unet'>;
  readonly description: string;
}

/** Every recipe for a starter's data (its channels). */
export function trainingRecipes(name: StarterName): Record<string, TrainingRecipe> {
  const base = STARTERS[name].unet;
  const unlimited = { steps: Number.MAX_SAFE_INTEGER, validateEverySteps: Number.MAX_SAFE_INTEGER };
  const settings = { ...FAST_TRAINING, ...unlimited };
  return {
    tiny: { unet: { ...TINY_UNET, inputChannels: base.inputChannels }, settings: { ...TINY_TRAINING, ...unlimited }, description: 'the tiny preset (the studio\'s choice on a CPU): depth 2, 8 base channels, 64 px tiles, batch 2, Adam 5e-3' },
    'tiny-cosine': { unet: { ...TINY_UNET, inputChannels: base.inputChannels }, settings: { ...TINY_TRAINING, ...unlimited, optimizer: { ...TINY_TRAINING.optimizer, schedule: 'cosine' } }, description: 'the tiny preset with its learning rate decayed along half a cosine to 1/100 over the run (a run of --steps; never reaches the floor in --minutes mode)' },
    fast: { unet: base, settings, description: 'the fast preset: depth 4, 16 base channels, 256 px tiles, batch 2, Adam 1e-3' },
    'fast-8ch': { unet: { ...base, baseChannels: 8 }, settings, description: 'the fast preset with 8 base channels (about a quarter of the multiply-adds): depth 4, 256 px tiles, batch 2, Adam 1e-3' },
    'fast-128px': { unet: { ...base, tileSizePx: 128 }, settings, description: 'the fast preset with 128 px tiles (a quarter of the pixels a step): depth 4, 16 base channels, batch 2, Adam 1e-3' },
    'fast-128px-cosine': { unet: { ...base, tileSizePx: 128 }, settings: { ...settings, optimizer: { ...settings.optimizer, schedule: 'cosine' } }, description: 'the fast preset with 128 px tiles and its learning rate decayed along half a cosine to 1/100 over the run (--max-steps): depth 4, 16 base channels, batch 2, Adam 1e-3' },
    'd3-32ch-128px': { unet: { ...base, depth: 3, baseChannels: 32, tileSizePx: 128 }, settings, description: 'depth 3, 32 base channels, 128 px tiles, batch 2, Adam 1e-3 (bench:accuracy\'s network at twice the width)' },
    'fast-lr3e-3': { unet: base, settings: { ...settings, optimizer: { ...settings.optimizer, learningRate: 3e-3 } }, description: 'the fast preset at learning rate 3e-3' },
  };
}

/** One recipe by name, or an error that lists the others. */
export function trainingRecipe(name: StarterName, recipe: string): TrainingRecipe {
  const all = trainingRecipes(name);
  const found = all[recipe];
  if (!found) throw new Error(`No recipe "${recipe}"; there are ${Object.keys(all).join(', ')}.`);
  return found;
}
