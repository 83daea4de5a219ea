import { errorDetail } from '../../core/io/ioErrors';
import { decodeImageFile } from '../../core/io/decodeImageFile';
import { sliceOf, type ImageStack } from '../../core/image/imageStack';
import { greyIfChannelsEqual } from '../../core/image/greyIfChannelsEqual';
import { checkLabelStack } from '../../core/labels/checkLabelStack';
import type { ClassCounts } from '../../core/labels/classCounts';
import { allUnlabelled, countClasses } from '../../core/labels/classCounts';
import { UNLABELLED } from '../../core/labels/classMap';
import { distinctLabelValues, guessInterpretation, interpretLabels, type InterpretedLabels, type LabelInterpretation } from '../../core/labels/interpretLabels';
import { pairFiles, type PairedByHand, type PairedFile } from '../../core/labels/pairFiles';
import type { ImportProblem } from '../../store/slices/dataSlice';
import { isolate } from '../../core/text/isolate';
import type { SliceRecord } from './sliceRegistry';

/** One file to import: its path inside any dropped folder, and its bytes (or how to read them, one file at a time). */
export interface ImportInput {
  readonly path: string;
  readonly bytes: Uint8Array | (() => Promise<Uint8Array>);
}

/** How one label file was read, with its values kept so that it can be read another way. */
export interface LabelFileReading {
  readonly path: string;
  /** The image it was paired with, by name. */
  readonly image: string;
  /** The slices it labels, in order (one per page of the file). */
  readonly sliceIds: readonly string[];
  /** Its distinct values, ascending (at most 257). */
  readonly distinct: readonly number[];
  readonly interpretation: LabelInterpretation;
  /** The label values as decoded (grey): heavy, kept by the import actions only, never in the store. */
  readonly values: ImageStack;
}

export interface ImportResult {
  /** One record per slice, in path order; empty when nothing could be used (the import failed). */
  readonly records: SliceRecord[];
  /** Each record's pixels per class, counted here (off the page's main thread) for SliceRegistry.replaceAll. */
  readonly classCounts: ClassCounts[];
  readonly summary: string;
  /** One entry per file not used (or used without its labels), naming it and saying what to do. */
  readonly problems: ImportProblem[];
  readonly classNames: string[];
  /** Every label file used, and how it was read. */
  readonly labelFiles: LabelFileReading[];
  /** The files taken as images and as label files (paired or not), for pairing by hand. */
  readonly pairing: { readonly images: string[]; readonly labels: string[] };
}

export interface ImportOptions {
  /** Awaited before each file, so a page stays responsive while big stacks decode. */
  readonly betweenFiles?: () => Promise<void>;
  /** The largest slice this device can hold (sliceLimitPixels); bigger ones are refused from their headers. */
  readonly maxSlicePixels?: number;
  /** Pairings the user made by hand (the Data panel), which win over names. */
  readonly pairedByHand?: PairedByHand;
}

interface Labels { readonly perSlice: InterpretedLabels[]; readonly interpretation: LabelInterpretation; readonly distinct: number[]; readonly values: ImageStack }

// Folders copied from macOS or Windows carry these; listing them as "not used" would only be noise.
const SYSTEM_FILE = /^(\..*|thumbs\.db|desktop\.ini)$/i;

/**
 * Decodes, pairs and checks dropped files. Images load even when their labels cannot be used
 * (without labels, for painting); every file left out is a problem naming it and the reason.
 */
export async function importFiles(files: readonly ImportInput[], options: ImportOptions = {}): Promise<ImportResult> {
  const byPath = new Map<string, ImportInput['bytes']>();
  for (const file of files) if (!SYSTEM_FILE.test(baseName(file.path)) && !byPath.has(file.path)) byPath.set(file.path, file.bytes);
  const paths = [...byPath.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const pairing = pairFiles(paths, options.pairedByHand);
  const problems: ImportProblem[] = [];
  const names = displayNames(pairing.pairs.map((p) => p.image));
  const records: SliceRecord[] = [];
  const labelFiles: LabelFileReading[] = [];
  let stacks = 0;
  let singles = 0;
  let labelled = 0;

  for (const pair of pairing.pairs) {
    await options.betweenFiles?.();
    const decoded = await decode(pair.image, byPath.get(pair.image), problems, options.maxSlicePixels);
    // A grey image saved as RGB(A) (equal channels, opaque) is grey: one input channel, as a grey model expects.
    const image = decoded ? greyIfChannelsEqual(decoded) : null;
    if (!image) {
      if (pair.label) problems.push({ path: pair.label, message: `${isolate(pair.label)} was not used: its image ${isolate(pair.image)} could not be read (see above).` });
      continue;
    }
    const labels = pair.label ? await loadLabels(pair, image, byPath.get(pair.label), problems, options) : null;
    const added = toRecords(pair.image, names.get(pair.image) ?? pair.image, image, labels);
    if (labels && pair.label) {
      const { interpretation, distinct, values } = labels;
      labelFiles.push({ path: pair.label, image: pair.image, sliceIds: added.map((r) => r.id), distinct, interpretation, values });
      labelled += image.slices;
    }
    if (image.slices > 1) stacks++; else singles++;
    records.push(...added);
  }

  for (const { path, reason } of pairing.unpairedLabels) {
    const hint = reason.startsWith('no image') ? ' Drop it together with its image, named to match (x.png with x_mask.png, or images/x.png with labels/x.png).' : '';
    problems.push({ path, message: `${isolate(path)} was not used as labels: ${reason}.${hint}` });
  }
  for (const { path, reason } of pairing.ignored) {
    problems.push({ path, message: `${isolate(path)} was not used: ${reason}. Drop TIFF, PNG or JPEG images and label files; other files are skipped.`, skipped: true });
  }

  const summary = records.length === 0
    ? nothingLoaded(byPath.size)
    : `${count(records.length, 'slice')} from ${describeSources(stacks, singles)}, ${labelled} labelled${problems.length > 0 ? `; ${count(problems.length, 'file')} not used` : ''}`;
  const fromLabelFiles = new Set(labelFiles.flatMap((f) => f.sliceIds));
  const classCounts = records.map((r) => (fromLabelFiles.has(r.id) ? countClasses(r.classes) : allUnlabelled(r.width * r.height)));
  const pairingLists = {
    images: pairing.pairs.map((p) => p.image),
    labels: [...pairing.pairs.flatMap((p) => (p.label ? [p.label] : [])), ...pairing.unpairedLabels.map((u) => u.path)],
  };
  return { records, classCounts, summary, problems, classNames: classNamesFor(labelFiles.map((f) => f.interpretation)), labelFiles, pairing: pairingLists };
}

async function decode(path: string, source: ImportInput['bytes'] | undefined, problems: ImportProblem[], maxSlicePixels?: number): Promise<ImageStack | null> {
  let bytes: Uint8Array;
  try {
    bytes = typeof source === 'function' ? await source() : source ?? new Uint8Array(0);
  } catch (error) {
    problems.push({ path, message: `${isolate(path)} could not be read (${errorDetail(error)}). It may have been moved or deleted since it was chosen; drop it again.` });
    return null;
  }
  try {
    return decodeImageFile(isolate(path), bytes, maxSlicePixels); // the name only words messages: isolated, it cannot reorder them
  } catch (error) {
    problems.push({ path, message: messageOf(path, error) });
    return null;
  }
}

/** The label file of a pair, checked against its image and read slice by slice; null (and a problem) if unusable. */
async function loadLabels(pair: PairedFile, image: ImageStack, source: ImportInput['bytes'] | undefined, problems: ImportProblem[], options: ImportOptions): Promise<Labels | null> {
  const labelPath = pair.label as string;
  await options.betweenFiles?.();
  const failed = (message: string) => {
    problems.push({ path: labelPath, message: `${message} ${isolate(pair.image)} was loaded without labels: fix the label file and drop both again, or paint the labels in the studio.` });
    return null;
  };
  const sink: ImportProblem[] = [];
  const decoded = await decode(labelPath, source, sink, options.maxSlicePixels);
  if (!decoded) return failed(sink[0]?.message ?? `${isolate(labelPath)} could not be read.`);
  const labels = greyIfChannelsEqual(decoded); // a grey mask saved as RGB(A) is still a grey mask
  try {
    checkLabelStack(image, isolate(pair.image), labels, isolate(labelPath));
    // Guessed per file from its values (the Data panel says how, and lets the user choose another way):
    // ISBI's 0/255 becomes binary with 255 (cells) as class 1, membranes 0.
    const interpretation = guessInterpretation(labels.data);
    const perSlice = Array.from({ length: labels.slices }, (_, z) => interpretLabels(sliceOf(labels, z), interpretation, isolate(labelPath)));
    return { perSlice, interpretation, distinct: distinctLabelValues(labels.data), values: labels };
  } catch (error) {
    return failed(messageOf(labelPath, error));
  }
}

function toRecords(path: string, name: string, image: ImageStack, labels: Labels | null): SliceRecord[] {
  return Array.from({ length: image.slices }, (_, z) => {
    const interpreted = labels?.perSlice[z];
    return {
      id: `${path}#${z}`,
      name: image.slices > 1 ? `${name} ${z + 1}/${image.slices}` : name,
      width: image.width,
      height: image.height,
      channels: image.channels,
      dtype: image.dtype,
      // A copy per slice of a stack (its buffer can go, and sending a slice to the engine moves only its own pixels);
      // a single image's own array (a 20000 px PNG is 400 MB, which a copy would double).
      pixels: image.slices === 1 && image.data.byteOffset === 0 && image.data.byteLength === image.data.buffer.byteLength ? image.data : sliceOf(image, z).slice(),
      classes: interpreted?.classes ?? new Int32Array(image.width * image.height).fill(UNLABELLED),
      instances: interpreted?.instances ?? null,
    };
  });
}

/** Multi-class label files name one class per value; binary masks and instance maps are background / foreground. */
export function classNamesFor(interpretations: readonly LabelInterpretation[]): string[] {
  const numClasses = Math.max(2, ...interpretations.map((i) => (i.kind === 'classes' ? i.numClasses : 2)));
  if (numClasses === 2) return ['background', 'foreground'];
  return Array.from({ length: numClasses }, (_, k) => (k === 0 ? 'background' : `class ${k}`));
}

/** File names, or whole paths where two dropped folders hold files of the same name. */
function displayNames(paths: readonly string[]): Map<string, string> {
  const seen = new Map<string, number>();
  for (const path of paths) seen.set(baseName(path), (seen.get(baseName(path)) ?? 0) + 1);
  return new Map(paths.map((path) => [path, (seen.get(baseName(path)) ?? 0) > 1 ? path : baseName(path)]));
}

function nothingLoaded(fileCount: number): string {
  if (fileCount === 0) return 'Nothing could be loaded: no files arrived (an empty folder?). Drop TIFF, PNG or JPEG images.';
  if (fileCount === 1) return 'Nothing could be loaded: the file could not be used. The list below says why.';
  return `Nothing could be loaded: none of the ${count(fileCount, 'file')} is an image the studio could use. The list below says why for each.`;
}

function describeSources(stacks: number, singles: number): string {
  const parts = [stacks > 0 ? count(stacks, 'image stack') : '', singles > 0 ? count(singles, 'image') : ''];
  return parts.filter((p) => p.length > 0).join(' and ');
}

/** The decoders' and checkers' messages name the file already; anything else gets its path in front. */
function messageOf(path: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.includes(isolate(path)) || message.includes(path) ? message : `${isolate(path)}: ${message}`;
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
const baseName = (path: string) => path.replace(/\\/g, '/').split('/').pop() ?? path;
