/**
 * Writes public/starters/<name>/card.md from the records beside the model, so no number in a card is
 * copied by hand: training.json (train_starter.py), scores.json (evaluateStarter.ts),
 * head-start.json (starterHeadStart.ts, optional), metadata.json and the files' sizes.
 *
 * Usage: npx tsx scripts/starters/writeStarterCard.ts nuclei|em
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { countParameters } from '../../src/core/model/countParameters';
import type { ModelMetadata } from '../../src/core/model/modelMetadata';
import type { StarterName } from './starterData';
import { STARTER_NAMES, STARTERS, starterDir, starterSplit } from './starterData';
import type { StarterScores } from './starterScores';
import type { EmptyFieldScores } from './emptyFields';
import { STARTER_FINE_TUNE_LEARNING_RATE } from '../../src/app/model/starterModels';

interface TrainingRecord { steps: number; minutes: number; seed: number; finalLoss: number; backend: string; trainImages: number; emptyFields?: { count: number; fraction: number } }
interface ScoresRecord { scores: StarterScores; emptyFields?: EmptyFieldScores; backend: string; prediction: string; evaluatedAt: string }
interface HeadStartArm { label: string; learningRate?: number; steps: number; trainMinutes: number; checkpoints: { minutes: number; steps: number; scores: StarterScores }[] }
interface HeadStart {
  minutes: number; fineTune: string[]; test: string[]; backend: string; runs: { seed: number; arms: HeadStartArm[] }[];
  /** weightAverage: absent in records from before the weight average (their arms were scored on the weights as trained). */
  settings: { optimizer: { learningRate: number }; starterLearningRate?: number; weightAverage?: { decay: number } | null };
}

/** An arm's learning rate: its own (records with several starter rates), else the record's starter or preset rate. */
function armLearningRate(h: HeadStart, arm: HeadStartArm): number {
  return arm.learningRate ?? (arm.label === 'starter' ? h.settings.starterLearningRate ?? h.settings.optimizer.learningRate : h.settings.optimizer.learningRate);
}

/** DSB ids are 64 hex digits: 8 name an image here (the full ids are in the JSON records). */
const shortIds = (ids: readonly string[]) => ids.map((id) => (id.length > 12 ? `${id.slice(0, 8)}…` : id)).join(', ');

const read = <T>(dir: string, file: string): T => JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as T;
const f4 = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : 'n/a');

const DATA: Record<StarterName, { title: string; data: string; licence: string }> = {
  nuclei: {
    title: 'Fluorescent nuclei starter',
    data: 'Data Science Bowl 2018, stage 1 training set (BBBC038v1 of the Broad Bioimage Benchmark Collection), the subset in ' +
      '`../shared/data/nuclei/dsb2018-stage1-subset/`: only its 83 fluorescence images (images.csv style "grayscale, dark background ' +
      '(fluorescence)"; the stained-tissue and brightfield images were left out). Instance labels (one id per nucleus) are read as ' +
      'the studio reads an instance map: every nucleus foreground, the pixels where two nuclei touch turned into background ' +
      '(the paper\'s separation borders).',
    licence: 'BBBC038v1 is released under CC0 1.0 (public domain dedication). Please cite: Caicedo, J. C. et al. "Nucleus segmentation ' +
      'across imaging experiments: the 2018 Data Science Bowl." Nature Methods 16, 1247-1253 (2019).',
  },
  em: {
    title: 'EM membranes starter',
    data: 'ISBI 2012 EM segmentation challenge training volume (serial-section TEM of the Drosophila first-instar larva ventral ' +
      'nerve cord, 512 x 512, 8-bit), `../shared/data/isbi2012/png/train/`. Labels 255 (cell interior) are the foreground class 1, ' +
      '0 (membrane; mitochondria and other dark organelles are painted black too) the background class 0, as the studio reads a ' +
      '0/255 mask.',
    licence: 'No explicit licence is stated for the ISBI 2012 data; it is public research data, to be cited on use: Cardona, A. et al. ' +
      '"An integrated micro- and macroarchitectural analysis of the Drosophila brain by computer-assisted serial section electron ' +
      'microscopy." PLoS Biology 8(10):e1000502 (2010); Arganda-Carreras, I. et al. "Crowdsourcing the creation of image segmentation ' +
      'algorithms for connectomics." Frontiers in Neuroanatomy 9:142 (2015).',
  },
};

function scoreRows(s: StarterScores): string[] {
  return s.kind === 'nuclei'
    ? [`| Foreground IoU (pixels pooled over the images) | ${f4(s.foregroundIoU)} |`, `| Foreground IoU, mean per image | ${f4(s.meanImageIoU)} |`,
      `| Object F1 at IoU > 0.5 (TP ${s.truePositives}, FP ${s.falsePositives}, FN ${s.falseNegatives}) | ${f4(s.objectF1)} |`]
    : [`| V_Rand (as Fiji: prediction thinned by watershed, best threshold for the stack; 1 at best) | ${f4(s.vRand)} |`, `| V_Info (as Fiji; 1 at best) | ${f4(s.vInfo)} |`,
      `| Foreground-restricted Rand error (2012 leaderboard, the paper's Table 1 scale; 0 at best) | ${f4(s.foregroundRestrictedRandError)} |`,
      `| Pixel error (1 - max pixel F-score) | ${f4(s.pixelError)} |`, `| Cell (foreground) IoU | ${f4(s.foregroundIoU)} |`, `| Membrane IoU | ${f4(s.membraneIoU)} |`];
}

function headline(s: StarterScores): string {
  return s.kind === 'nuclei' ? `IoU ${f4(s.foregroundIoU)} / F1 ${f4(s.objectF1)}` : `V_Rand ${f4(s.vRand)} / V_Info ${f4(s.vInfo)} / IoU ${f4(s.foregroundIoU)}`;
}

function main(): void {
  const name = process.argv[2] as StarterName;
  if (!STARTER_NAMES.includes(name)) throw new Error(`Usage: writeStarterCard.ts ${STARTER_NAMES.join('|')}`);
  const dir = starterDir(name);
  const spec = STARTERS[name];
  const split = starterSplit(name);
  const training = read<TrainingRecord>(dir, 'training.json');
  const scores = read<ScoresRecord>(dir, 'scores.json');
  const metadata = read<ModelMetadata>(dir, 'metadata.json');
  const size = (file: string) => statSync(path.join(dir, file)).size;
  const u = spec.unet;
  const lines = [
    `# ${DATA[name].title}`,
    '',
    `A U-Net for U-Net Studio's "Start from: ${name}": it predicts at once, and a fast-preset training continues from its weights.`,
    'Generated by `scripts/starters/writeStarterCard.ts` from the records beside it; reproduce with docs/starters.md.',
    '',
    '## Network',
    '',
    `The studio's fast preset: depth ${u.depth}, ${u.baseChannels} base channels, ${u.padding} padding, batch norm, dropout ${u.dropoutRate}, ` +
      `${u.tileSizePx} px tiles, ${u.inputChannels} input channel${u.inputChannels === 1 ? '' : 's'}, ${u.numClasses} classes (${metadata.classNames.join(', ')}), ` +
      `${countParameters(u).toLocaleString('en')} parameters.`,
    name === 'nuclei'
      ? 'One input channel: the DSB fluorescence PNGs are RGBA with R = G = B and an opaque alpha, which the studio reads as grey (greyIfChannelsEqual), so the starter fits them and grey TIFFs alike.'
      : 'One input channel: 8-bit grey, as the studio reads the ISBI PNGs and TIFF stack.',
    `Input normalisation: per image and channel, the ${metadata.normalisation.kind === 'percentile' ? `${metadata.normalisation.lowPercent}-${metadata.normalisation.highPercent} percentiles to 0-1` : 'z-score'} (the studio's default, normaliseImage.ts)` +
      (metadata.normalisation.kind === 'percentile' && metadata.normalisation.minRange
        ? `, dividing by at least ${metadata.normalisation.minRange.join(', ')} (raw units): the smallest percentile range among the training images with objects (stretchLimit.ts), so an image with less contrast is not stretched more than any the starter learnt from.`
        : '.'),
    '',
    `Files: \`model.json\` ${size('model.json').toLocaleString('en')} bytes, \`model.weights.bin\` ${size('model.weights.bin').toLocaleString('en')} bytes (float32), \`metadata.json\` (also inside model.json).`,
    '',
    '## Data',
    '',
    DATA[name].data,
    '',
    `Split (fixed in scripts/starters/starterData.ts): ${split.description}. Training: ${split.train.length} images; held out: ${split.heldOut.length} (ids in scores.json).`,
    '',
    '## Licence of the data',
    '',
    DATA[name].licence,
    '',
    '## Recipe',
    '',
    '- Trainer: `scripts/train_starter.py`, the project\'s PyTorch reference network (scripts/make_unet_fixtures.py\'s TorchUNet, ' +
      'whose weights load into the tfjs model by layer name; parity: src/core/model/unetParity.test.ts), on CPU.',
    '- Inputs, classes and weight maps computed by the studio\'s own TypeScript (scripts/starters/prepareStarterData.ts: decodePng, ' +
      'normaliseImage, interpretLabels, buildTrainingTargets); a NumPy port of normaliseImage is checked equal to it on the first images.',
    `- Loss: the paper's weighted pixel-wise softmax cross-entropy, weight map w0 10, sigma 5 px, class balance${name === 'nuclei' ? ', separation borders where nuclei touch' : ' (objects: the 4-connected cells)'}.`,
    '- Tiles: 256 px, batch 2, centred on random labelled pixels; augmentation: flips, quarter turns, rotation up to 10 degrees, the ' +
      'paper\'s elastic warp (3x3 grid, sigma 10 px), grey-value jitter (the studio\'s defaults).',
    ...(training.emptyFields && training.emptyFields.fraction > 0
      ? [`- Empty fields of view: ${Math.round(training.emptyFields.fraction * 100)} % of the tiles come from ${training.emptyFields.count} squares of the training images with no object ` +
        '(96 px, 8 px clear of any), cut from the raw pixels, normalised on their own as the studio normalises a whole image (percentiles, stretch limit), ' +
        'mirrored out to the tile and all background: a field of view with nothing in it is an image of its own to a user.']
      : []),
    '- Adam (beta 0.9 / 0.999, epsilon 1e-7), learning rate 1e-3, 1e-4 for the last 20 % of the time; paper init N(0, sqrt(2/N)).',
    `- ${training.steps} steps in ${training.minutes.toFixed(1)} minutes of wall time (${training.backend}, seed ${training.seed}, ` +
      `machine shared with other work); mean loss of the last steps ${f4(training.finalLoss)}. Loss curve: training.json.`,
    '',
    '## Scores on the held-out split',
    '',
    `${split.heldOut.length} images the starter never saw, predicted by the studio's own code: ${scores.prediction}; ${scores.backend}.`,
    '',
    '| Score | Value |',
    '| --- | --- |',
    ...scoreRows(scores.scores),
    '',
    ...(scores.emptyFields
      ? [`Empty fields: ${scores.emptyFields.fields} squares of ${scores.emptyFields.sidePx} px of the held-out images with no nucleus within 8 px, each cut out and predicted as an image of its own ` +
        `(its own percentiles, the stretch limit): ${(scores.emptyFields.meanForeground * 100).toFixed(1)} % of their pixels called foreground on average ` +
        `(the worst ${(scores.emptyFields.maxForeground * 100).toFixed(1)} %), ${scores.emptyFields.fieldsOver5Percent} of ${scores.emptyFields.fields} over 5 % (scripts/starters/emptyFields.ts).`, '']
      : []),
  ];
  if (existsSync(path.join(dir, 'head-start.json'))) {
    const h = read<HeadStart>(dir, 'head-start.json');
    lines.push('## Head start: from scratch vs from the starter, same minutes', '',
      `Fine-tuned with the studio's own training (TrainingRun, fast-preset settings: Adam, batch 2, 256 px tiles, the paper's ` +
      `weight map, the default augmentation) on held-out images ${shortIds(h.fineTune)}, scored on held-out images ${shortIds(h.test)}, ` +
      'which neither the starter nor the fine-tuning saw. Same data, settings, seed and training minutes; the runs alternate step ' +
      `by step on the same machine (${h.backend}; shared with other work, hence the few steps a minute); scoring time not counted; ` +
      `${h.settings.weightAverage ? `the weights' moving average (decay ${h.settings.weightAverage.decay}, as the preset keeps it) is scored` : 'the weights after the last step are scored'} ` +
      '(no validation, no best checkpoint). The studio fine-tunes a starter at ' +
      `learning rate ${STARTER_FINE_TUNE_LEARNING_RATE} (src/app/model/starterModels.ts). Record: head-start.json.`, '');
    // Fresh weights first, then the starter at each learning rate the record ran.
    const ordered = (arms: readonly HeadStartArm[]) => [...arms].sort((a, b) => Number(b.label === 'fresh') - Number(a.label === 'fresh'));
    const columns = ordered(h.runs[0]?.arms ?? []).map((arm) => `${arm.label === 'fresh' ? 'Fresh weights' : 'From the starter'}, learning rate ${armLearningRate(h, arm)}: steps, score`);
    lines.push(`| Seed | Training minutes | ${columns.join(' | ')} |`, `| --- | --- | ${columns.map(() => '---').join(' | ')} |`);
    for (const run of h.runs) {
      for (const [i, c] of (run.arms[0]?.checkpoints ?? []).entries()) {
        const cells = ordered(run.arms).map((arm) => {
          const at = arm.checkpoints[i];
          return at ? `${at.steps}: ${headline(at.scores)}` : '';
        });
        lines.push(`| ${run.seed} | ${c.minutes} | ${cells.join(' | ')} |`);
      }
    }
    lines.push('');
  }
  lines.push('## Limits', '',
    name === 'nuclei'
      ? '- Fluorescence only: stained tissue and brightfield images (dark nuclei on a light background) are outside its training data.'
      : '- One volume of one tissue at one resolution; other EM data will need fine-tuning. Dark organelles count as membrane, as in the ground truth.',
    `- Trained for minutes on a CPU, not hours on a GPU: a starting point for fine-tuning, not a finished model.`, '');
  writeFileSync(path.join(dir, 'card.md'), lines.join('\n'));
  console.log(`${name}: ${path.join(dir, 'card.md')}`);
}

main();
