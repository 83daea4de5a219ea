/** bench:quality's record: the runs of each seed, earlier ones kept by --merge, and the Markdown table. */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import type { StarterName } from '../../scripts/starters/starterData';
import { starterSplit } from '../../scripts/starters/starterData';
import { describeScores } from '../../scripts/starters/starterScores';
import type { TrainingRecipe } from '../../scripts/starters/trainingRecipes';
import type { Crossing, SideResult } from './scoreCheckpoints';
import { BARS } from './scoreCheckpoints';

/** oursSetupSeconds: in the page, train/start to train/started (not counted as training). */
export type Run = { seed: number; ours: SideResult; pytorch: SideResult; measuredAt?: string; oursSetupSeconds?: number };

export interface Budget { readonly recipe: string; readonly maxSteps: number; readonly every: number }

/** The runs of an earlier record with the same budget and checkpoints, except the seeds run again now. */
export function earlierRuns(file: string, budget: Budget, seeds: readonly number[]): Run[] {
  if (!existsSync(file)) return [];
  const earlier = JSON.parse(readFileSync(file, 'utf8')) as { date: string; recipe?: string; maxSteps: number; every: number; runs: Run[] };
  // Records from before --recipe existed trained the fast preset.
  const recipe = earlier.recipe ?? 'fast';
  if (recipe !== budget.recipe || earlier.maxSteps !== budget.maxSteps || earlier.every !== budget.every) {
    throw new Error(`--merge: ${file} has the ${recipe} recipe, ${earlier.maxSteps} steps with checkpoints every ${earlier.every}; this run ${budget.recipe}, ${budget.maxSteps} and ${budget.every}.`);
  }
  return earlier.runs.filter((run) => !seeds.includes(run.seed)).map((run) => ({ ...run, measuredAt: run.measuredAt ?? earlier.date }));
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export function markdown(
  name: StarterName, recipe: TrainingRecipe, runs: readonly Run[], how: string,
  budget: { maxSteps: number; every: number; stride: number; hold: number }, date: string,
): string {
  const { maxSteps, every, stride, hold } = budget;
  const time = (r: Crossing, side: SideResult) => (r ? `${(r.trainSeconds / 60).toFixed(2)} min (step ${r.step})` : `not in ${side.trainedSteps} steps (${(side.trainedSeconds / 60).toFixed(1)} min)`);
  const dates = [...new Set(runs.map((r) => r.measuredAt ?? date))];
  const lines = [
    `# Time to quality: ours against PyTorch CPU (${name === 'nuclei' ? 'DSB 2018 nuclei' : 'ISBI 2012'})`,
    '',
    `${dates.length > 1 ? `Seeds ${runs.map((r) => `${r.seed} at ${r.measuredAt ?? date}`).join(', ')}` : date}, ${os.cpus()[0]?.model ?? 'CPU'} (${os.cpus().length} cores, shared with other work), Node ${process.version}.`,
    `Ours: ${runs[0]?.ours.backend}. PyTorch: ${runs[0]?.pytorch.backend}. ${how}`,
    '',
    `Recipe (both): ${recipe.description}, ${recipe.settings.optimizer.schedule === 'cosine' ? `the learning rate decayed along a cosine to a hundredth of it at step ${maxSteps}` : 'the learning rate held constant'}, the paper's weight map, the default augmentation; ` +
      `the ${name} starter's split (${starterSplit(name).description}). Checkpoints every ${every} steps up to ${maxSteps}; training seconds only (saving and scoring not counted); ` +
      'checkpoints scored on the held-out images with the engine\'s tiled prediction (scripts/starters/starterScores.ts), ' +
      `${stride === 1 ? 'every one' : `coarse to fine: every ${stride}th first, then those before the first coarse one that reached a bar`}. "First": the first checkpoint at the bar; ` +
      `"held": the first from which ${hold} checkpoints in a row are at the bar (steadier: a small net's score swings about a bar).`,
    '',
    '| seed | bar | ours | PyTorch | ours / PyTorch |',
    '| ---: | --- | ---: | ---: | ---: |',
  ];
  const kinds = [{ label: 'first', pick: (s: SideResult) => s.reached }, { label: `held ${hold}`, pick: (s: SideResult) => s.held }] as const;
  const ratios = new Map<string, number[]>();
  for (const { seed, ours, pytorch } of runs) {
    for (const kind of kinds) {
      const [a, b] = [kind.pick(ours), kind.pick(pytorch)];
      if (!a || !b) continue; // records from before "held"
      BARS[name].forEach((bar, i) => {
        const [x, y] = [a[i] ?? null, b[i] ?? null];
        const ratio = x && y ? x.trainSeconds / y.trainSeconds : null;
        const row = `${bar.name}, ${kind.label}`;
        if (ratio !== null) ratios.set(row, [...(ratios.get(row) ?? []), ratio]);
        lines.push(`| ${seed} | ${row} | ${time(x, ours)} | ${time(y, pytorch)} | ${ratio !== null ? ratio.toFixed(2) : 'n/a'} |`);
      });
    }
  }
  lines.push('', 'Headline (mean over seeds where both reached the bar):', '');
  for (const kind of kinds) {
    for (const bar of BARS[name]) {
      const r = ratios.get(`${bar.name}, ${kind.label}`) ?? [];
      lines.push(`- ${bar.name}, ${kind.label}: ours / PyTorch ${r.length > 0 ? `${mean(r).toFixed(2)} (${r.map((x) => x.toFixed(2)).join(', ')})` : 'n/a'}; the goal is at most 1.5.`);
    }
  }
  lines.push('', 'Scores at each scored checkpoint:', '', '| seed | side | step | train min | score |', '| ---: | --- | ---: | ---: | --- |');
  for (const { seed, ours, pytorch } of runs) {
    for (const side of [ours, pytorch]) for (const c of side.scored) lines.push(`| ${seed} | ${side.side} | ${c.step} | ${(c.trainSeconds / 60).toFixed(2)} | ${describeScores(c.scores)} |`);
  }
  return `${lines.join('\n')}\n`;
}
