/**
 * bench:quality's scoring: each side's checkpoints scored on the held-out images by the same code (the
 * engine's tiled prediction, scripts/starters/starterScores.ts), and for each quality bar the first
 * checkpoint that reached it, and the first from which it held for `hold` checkpoints in a row.
 */
import { buildUNet } from '../../src/core/model/buildUNet';
import { namedWeights } from '../../src/core/model/namedWeights';
import type { StarterImage, StarterName } from '../../scripts/starters/starterData';
import type { StarterScores } from '../../scripts/starters/starterScores';
import { describeScores, scoreModel } from '../../scripts/starters/starterScores';
import type { TrainingRecipe } from '../../scripts/starters/trainingRecipes';
import type { Checkpoint } from './checkpoints';
import { loadCheckpoint } from './checkpoints';

interface Bar { readonly name: string; readonly reached: (s: StarterScores) => boolean }

export const BARS: Record<StarterName, readonly Bar[]> = {
  nuclei: [
    { name: 'foreground IoU >= 0.85', reached: (s) => s.foregroundIoU >= 0.85 },
    { name: 'foreground IoU >= 0.85 and object F1 >= 0.70', reached: (s) => s.kind === 'nuclei' && s.foregroundIoU >= 0.85 && s.objectF1 >= 0.7 },
  ],
  em: [
    { name: 'V_Rand >= 0.93', reached: (s) => s.kind === 'em' && s.vRand >= 0.93 },
    { name: 'V_Rand >= 0.95', reached: (s) => s.kind === 'em' && s.vRand >= 0.95 },
  ],
};

export interface ScoredCheckpoint { readonly step: number; readonly trainSeconds: number; readonly scores: StarterScores }
export type Crossing = { step: number; trainSeconds: number } | null;
export interface SideResult {
  readonly side: 'ours' | 'pytorch';
  readonly backend: string;
  readonly scored: ScoredCheckpoint[];
  /** Per bar: the first checkpoint that reached it, or null. */
  readonly reached: Crossing[];
  /**
   * Per bar: the first checkpoint from which every one of `hold` checkpoints in a row reached it, or null
   * (a steadier measure: a small net's score swings about a bar). Absent in records from before it.
   */
  readonly held?: Crossing[];
  /** Steps and seconds trained in all (the budget, when a bar was not reached). */
  readonly trainedSteps: number;
  readonly trainedSeconds: number;
}

/**
 * Where a side's checkpoints 0..count-1 first reach a bar, asking `atBar` (which scores lazily) as few
 * times as it can. First crossing: every `stride`-th checkpoint first (and the last), then, below the
 * first coarse one at the bar, the ones between it and the coarse one before, in order. Scores are not
 * strictly monotonic, so a checkpoint at the bar between two coarse ones that were not can be missed.
 * Held crossing: from the first crossing on, each checkpoint in order until `hold` in a row are at the
 * bar; exact when stride <= hold (a run of `hold` before the first crossing would hold a coarse
 * checkpoint that was not at the bar).
 */
export async function findCrossings(count: number, search: { stride: number; hold: number }, atBar: (index: number) => Promise<boolean>): Promise<{ first: number | null; held: number | null }> {
  const { stride, hold } = search;
  const coarse = Array.from({ length: count }, (_, i) => i).filter((i) => (i + 1) % stride === 0 || i === count - 1);
  let first: number | null = null;
  for (const [k, index] of coarse.entries()) {
    if (!(await atBar(index))) continue;
    first = index;
    for (let finer = (k > 0 ? (coarse[k - 1] as number) + 1 : 0); finer < index; finer++) {
      if (await atBar(finer)) { first = finer; break; }
    }
    break;
  }
  let run = 0;
  for (let index = first ?? count; index < count; index++) {
    run = (await atBar(index)) ? run + 1 : 0;
    if (run === hold) return { first, held: index - hold + 1 };
  }
  return { first, held: null };
}

/** Scores each side's checkpoints as findCrossings asks, bar by bar (each checkpoint at most once); the table lists every one scored. */
export async function scoreUntilBars(
  name: StarterName, unet: TrainingRecipe['unet'], side: SideResult['side'], backend: string,
  checkpoints: readonly Checkpoint[], test: readonly StarterImage[], search: { stride: number; hold: number },
): Promise<SideResult> {
  const model = buildUNet(unet, 1);
  const variables = namedWeights(model);
  const scored = new Map<number, ScoredCheckpoint>();
  const scoreAt = async (index: number): Promise<StarterScores> => {
    const checkpoint = checkpoints[index] as Checkpoint;
    const done = scored.get(index);
    if (done) return done.scores;
    loadCheckpoint(variables, checkpoint, (key) => `${side}: no weight named ${key} of its size in the studio's U-Net.`);
    const scores = await scoreModel(name, model, unet, test);
    scored.set(index, { step: checkpoint.step, trainSeconds: checkpoint.trainSeconds, scores });
    console.log(`[${side}] step ${checkpoint.step} (${checkpoint.trainSeconds.toFixed(0)} s): ${describeScores(scores)}`);
    return scores;
  };
  const crossing = (index: number | null): Crossing => {
    const at = index === null ? null : (checkpoints[index] as Checkpoint);
    return at ? { step: at.step, trainSeconds: at.trainSeconds } : null;
  };
  const reached: Crossing[] = [];
  const held: Crossing[] = [];
  for (const bar of BARS[name]) {
    const found = await findCrossings(checkpoints.length, search, async (index) => bar.reached(await scoreAt(index)));
    reached.push(crossing(found.first));
    held.push(crossing(found.held));
  }
  model.dispose();
  const last = checkpoints.at(-1);
  return { side, backend, scored: [...scored.values()].sort((a, b) => a.step - b.step), reached, held, trainedSteps: last?.step ?? 0, trainedSeconds: last?.trainSeconds ?? 0 };
}
