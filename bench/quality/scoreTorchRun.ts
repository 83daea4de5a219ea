/**
 * Scores a PyTorch run's checkpoints (scripts/train_starter.py --checkpoint-every N --checkpoints DIR) on a
 * starter's held-out split with the engine's tiled prediction, as bench:quality scores them: for trying
 * recipes on the PyTorch reference alone (several times faster than ours on this CPU) before a full run.
 *
 * Usage: npx tsx bench/quality/scoreTorchRun.ts DIR [--data em] [--recipe fast-128px] [--every 1] [--from 0]
 * (--every k: every k-th checkpoint; --from S: from step S on). Prints one line a checkpoint.
 */
import { buildUNet } from '../../src/core/model/buildUNet';
import { namedWeights } from '../../src/core/model/namedWeights';
import { useWasmBackend } from '../../src/testUtils/wasmBackend';
import type { StarterName } from '../../scripts/starters/starterData';
import { loadStarterImage, starterSplit } from '../../scripts/starters/starterData';
import { describeScores, scoreModel } from '../../scripts/starters/starterScores';
import { trainingRecipe } from '../../scripts/starters/trainingRecipes';
import { option } from '../../scripts/cliOption';
import { loadCheckpoint, readTorchCheckpoints } from './checkpoints';

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir || dir.startsWith('--')) throw new Error('Usage: scoreTorchRun.ts DIR [--data em|nuclei] [--recipe fast-128px] [--every 1] [--from 0]');
  const name = option('--data', 'em') as StarterName;
  const recipe = trainingRecipe(name, option('--recipe', 'fast-128px'));
  const every = Number(option('--every', '1'));
  const from = Number(option('--from', '0'));
  await useWasmBackend();
  const test = starterSplit(name).heldOut.map((id) => loadStarterImage(name, id));
  const model = buildUNet(recipe.unet, 1);
  const variables = namedWeights(model);
  for (const [index, checkpoint] of readTorchCheckpoints(dir).entries()) {
    if ((index + 1) % every !== 0 || checkpoint.step < from) continue;
    loadCheckpoint(variables, checkpoint, (key) => `The weight ${key} does not fit the recipe's network: is --recipe the one the run trained?`);
    console.log(`step ${checkpoint.step} (${checkpoint.trainSeconds.toFixed(0)} s): ${describeScores(await scoreModel(name, model, recipe.unet, test))}`);
  }
  model.dispose();
}

// A plain message on a mistake (the wasm module's own handler would print its whole source with it).
main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
