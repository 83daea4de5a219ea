/**
 * The starter models' data, read from ../shared/data exactly as the studio reads a dropped file
 * (decodePng, then greyIfChannelsEqual as the import does: a DSB fluorescence RGBA PNG is 1 grey channel), normalised by the engine's
 * normaliseImage, labels read as the import reads them, targets built by buildTrainingTargets with
 * the fast preset's settings. Splits are fixed here and written into the cards.
 *
 * Node only (fs): used by scripts/starters/prepareStarterData.ts, scripts/evaluateStarter.ts,
 * scripts/starterHeadStart.ts and the starter models' unit test.
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_NORMALISATION, normaliseImage, percentileRanges, type Normalisation } from '../../src/core/image/normaliseImage';
import { stretchLimit, withStretchLimit } from '../../src/core/image/stretchLimit';
import { holdsObjects } from '../../src/core/labels/classMap';
import { decodePng } from '../../src/core/io/decodePng';
import { greyIfChannelsEqual } from '../../src/core/image/greyIfChannelsEqual';
import type { InterpretedLabels, LabelInterpretation } from '../../src/core/labels/interpretLabels';
import { interpretLabels } from '../../src/core/labels/interpretLabels';
import type { UNetConfig } from '../../src/core/model/unetConfig';
import { FAST_UNET } from '../../src/core/model/unetConfig';
import type { TrainingSample } from '../../src/core/sampling/trainingSample';
import { FAST_TRAINING } from '../../src/core/train/trainingSettings';
import { buildTrainingTargets } from '../../src/core/weights/buildTrainingTargets';

export type StarterName = 'nuclei' | 'em';
export const STARTER_NAMES: readonly StarterName[] = ['nuclei', 'em'];

export const ROOT = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
/** ../shared/data beside the repository (SHARED_DATA overrides). */
export const SHARED_DATA = process.env.SHARED_DATA ?? path.resolve(ROOT, '../shared/data');
/** Where prepareStarterData.ts and train_starter.py keep a starter's work files (outside the repository). */
export const defaultWorkDir = (name: StarterName): string => path.join(os.tmpdir(), 'unet-starters', name);
export const starterDir = (name: StarterName): string => path.join(ROOT, 'public/starters', name);

const DSB = 'nuclei/dsb2018-stage1-subset';
const ISBI = 'isbi2012/png/train';

/** What defines a starter besides its weights. */
export interface StarterSpec {
  readonly name: StarterName;
  /** The fast preset's network with this data's channels: a fast-preset training continues from it. */
  readonly unet: UNetConfig;
  readonly classNames: readonly string[];
  readonly normalisation: Normalisation;
  readonly interpretation: LabelInterpretation;
  /** Files relative to ../shared/data that must exist. */
  readonly requires: readonly string[];
}

export const STARTERS: Record<StarterName, StarterSpec> = {
  // DSB 2018 fluorescence PNGs are RGBA with R = G = B and alpha 255: the studio reads them as one grey channel (greyIfChannelsEqual).
  nuclei: {
    name: 'nuclei', unet: { ...FAST_UNET, inputChannels: 1 }, classNames: ['background', 'foreground'],
    normalisation: DEFAULT_NORMALISATION, interpretation: { kind: 'instances' }, requires: [`${DSB}/images.csv`],
  },
  // ISBI 0/255: the import guesses binary with 255 (cell) as class 1 and 0 (membrane) as class 0.
  em: {
    name: 'em', unet: { ...FAST_UNET, inputChannels: 1 }, classNames: ['background', 'foreground'],
    normalisation: DEFAULT_NORMALISATION, interpretation: { kind: 'binary', foregroundValue: 255 }, requires: [`${ISBI}/image/0.png`],
  },
};

export function hasStarterData(name: StarterName): boolean {
  return STARTERS[name].requires.every((p) => existsSync(path.join(SHARED_DATA, p)));
}

/** The ids of a starter's splits: `train` for the starter, `heldOut` never seen; heldOut = fineTune + test for the head-start run. */
export interface StarterSplit {
  readonly train: readonly string[];
  readonly heldOut: readonly string[];
  readonly fineTune: readonly string[];
  readonly test: readonly string[];
  readonly description: string;
}

/** DSB ids of the fluorescence images (images.csv style "grayscale, dark background (fluorescence)"), sorted. */
export function dsbFluorescenceIds(): string[] {
  const lines = readFileSync(path.join(SHARED_DATA, DSB, 'images.csv'), 'utf8').trim().split('\n').slice(1);
  return lines.filter((line) => line.includes('(fluorescence)')).map((line) => line.slice(0, line.indexOf(','))).sort();
}

export function starterSplit(name: StarterName): StarterSplit {
  if (name === 'em') {
    const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
    return { train: ids(0, 14), heldOut: ids(15, 19), fineTune: ids(15, 17), test: ids(18, 19),
      description: 'ISBI 2012 training slices 0-14 train the starter; 15-19 are held out (head start: fine-tune on 15-17, test on 18-19)' };
  }
  // The ids are SHA-256 hex strings, so sorted order is unrelated to content: every 5th id is held out.
  const ids = dsbFluorescenceIds();
  const heldOut = ids.filter((_, i) => i % 5 === 0);
  const train = ids.filter((_, i) => i % 5 !== 0);
  return { train, heldOut, fineTune: heldOut.filter((_, i) => i % 2 === 0), test: heldOut.filter((_, i) => i % 2 === 1),
    description: `DSB 2018 fluorescence images (${ids.length}), sorted by id: every 5th (${heldOut.length}) held out, the other ${train.length} train the starter ` +
      '(head start: the held-out images alternately fine-tune / test)' };
}

/** One image as the studio holds it: raw pixels, normalised input, interpreted labels. */
export interface StarterImage {
  readonly id: string;
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly raw: Uint8Array | Uint16Array;
  readonly image: Float32Array;
  readonly labels: InterpretedLabels;
}

/** A starter image's decoded pixels and labels, as the studio's import reads them. */
function readStarterFiles(name: StarterName, id: string) {
  const spec = STARTERS[name];
  const [imageFile, labelFile] = name === 'em'
    ? [path.join(SHARED_DATA, ISBI, 'image', `${id}.png`), path.join(SHARED_DATA, ISBI, 'label', `${id}.png`)]
    : [path.join(SHARED_DATA, DSB, 'images', `${id}.png`), path.join(SHARED_DATA, DSB, 'labels', `${id}.png`)];
  // As the studio's import reads them (importFiles.ts): a grey image or mask saved as RGB(A) is grey.
  const image = greyIfChannelsEqual(decodePng(readFileSync(imageFile), path.basename(imageFile)));
  const label = greyIfChannelsEqual(decodePng(readFileSync(labelFile), path.basename(labelFile)));
  if (image.channels !== spec.unet.inputChannels) throw new Error(`${imageFile} has ${image.channels} channels; the ${name} starter takes ${spec.unet.inputChannels}.`);
  if (label.channels !== 1 || label.width !== image.width || label.height !== image.height) throw new Error(`${labelFile} does not fit its image.`);
  return { image, labels: interpretLabels(label.data, spec.interpretation, path.basename(labelFile)) };
}

const normalisations = new Map<StarterName, Normalisation>();

/**
 * The starter's normalisation as a studio training run on its train split records it: the spec's scheme
 * with the stretch limit of the images holding objects (stretchLimit.ts), so an empty field given to the
 * starter stays dark instead of having its noise stretched to 0..1.
 */
export function starterNormalisation(name: StarterName): Normalisation {
  const known = normalisations.get(name);
  if (known) return known;
  const { normalisation } = STARTERS[name];
  if (normalisation.kind !== 'percentile') return normalisation;
  const ranges = starterSplit(name).train.flatMap((id) => {
    const { image, labels } = readStarterFiles(name, id);
    return holdsObjects(labels.classes) ? [percentileRanges(image.data, image.channels, normalisation.lowPercent, normalisation.highPercent)] : [];
  });
  const limited = withStretchLimit(normalisation, stretchLimit(ranges), false);
  normalisations.set(name, limited);
  return limited;
}

/** One image as the studio holds it, normalised as the starter model normalises (its stretch limit included). */
export function loadStarterImage(name: StarterName, id: string, normalisation: Normalisation = starterNormalisation(name)): StarterImage {
  const { image, labels } = readStarterFiles(name, id);
  return {
    id, width: image.width, height: image.height, channels: image.channels,
    raw: image.data as Uint8Array | Uint16Array,
    image: normaliseImage(image.data, image.channels, normalisation),
    labels,
  };
}

/** The image with the targets the studio's training builds (fast preset: separation borders, the paper's weight map). */
export function toTrainingSample(image: StarterImage): TrainingSample {
  const targets = buildTrainingTargets(image.labels, image.width, image.height, FAST_TRAINING.targets);
  return { width: image.width, height: image.height, channels: image.channels, image: image.image, labels: targets.classes, weights: targets.weights };
}
