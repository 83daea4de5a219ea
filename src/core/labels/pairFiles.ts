import { isolate } from '../text/isolate';

/**
 * Pairs dropped files into images and their label files, by name:
 * - `train-volume.tif` with `train-labels.tif` (ISBI style),
 * - `x.png` with `x_mask.png`, `x_label.png`, `x-labels.tif`, ...; the label word may stand anywhere in
 *   the name as a word of its own (`train-labels-0-9.tif` with `train-volume-0-9.tif`, `mask2d.tif`
 *   with `img2d.tif`, `seg_x.png` with `x.png`): words are split at `-`, `_`, `.`, spaces and
 *   where letters meet digits,
 * - `images/x.png` with `labels/x.png` or `masks/x.png` (any folder depth; `image/` <-> `label/` too).
 * Matching ignores case and the file extension (an image x.tif may pair with labels x_mask.png).
 */
export interface PairedFile {
  readonly image: string;
  /** null: an image without labels (the user can paint them). */
  readonly label: string | null;
}

export interface PairingResult {
  readonly pairs: readonly PairedFile[];
  /** Label files with no image of the same name, with the reason for the user. */
  readonly unpairedLabels: readonly { readonly path: string; readonly reason: string }[];
  /** Files that are not images at all, or ambiguous. */
  readonly ignored: readonly { readonly path: string; readonly reason: string }[];
}

export const IMAGE_EXTENSIONS = ['tif', 'tiff', 'png', 'jpg', 'jpeg'] as const;

const LABEL_FOLDERS = new Set(['labels', 'label', 'masks', 'mask', 'gt', 'ground_truth', 'groundtruth', 'annotations']);
const IMAGE_FOLDERS = new Set(['images', 'image', 'imgs', 'raw']);
/** Words that mark a label file, and words an image's name may carry where its labels carry one of those. */
const LABEL_WORDS = new Set(['label', 'labels', 'mask', 'masks', 'gt', 'seg', 'segmentation', 'segmentations', 'annotation', 'annotations', 'groundtruth']);
const IMAGE_WORDS = new Set(['volume', 'image', 'images', 'raw', 'img', 'imgs']);

/** A name's words: split at separators and where letters meet digits ("mask2d" -> mask, 2, d). */
function words(stem: string): string[] {
  return stem.split(/[-_. ]+|(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])/).filter((w) => w.length > 0);
}

interface Classified { path: string; role: 'image' | 'label'; key: string }

/**
 * Pairings the user made by hand, which win over names: a label file's path -> the image it labels,
 * or null for a file to load as an image of its own (a name with a label word that is no label file).
 */
export type PairedByHand = ReadonlyMap<string, string | null>;

export function pairFiles(paths: readonly string[], byHand: PairedByHand = new Map()): PairingResult {
  const ignored: { path: string; reason: string }[] = [];
  const images = new Map<string, string[]>();
  const labels: Classified[] = [];
  const roleOf = (path: string) => {
    const entry = classify(path);
    if (!entry || !byHand.has(path)) return entry;
    return { ...entry, role: byHand.get(path) === null ? 'image' as const : 'label' as const };
  };
  for (const path of paths) {
    const entry = roleOf(path);
    if (!entry) {
      ignored.push({ path, reason: `not a supported image (${IMAGE_EXTENSIONS.join(', ')})` });
    } else if (entry.role === 'label') {
      labels.push(entry);
    } else {
      images.set(entry.key, [...(images.get(entry.key) ?? []), path]);
    }
  }

  const labelOf = new Map<string, string>();
  const unpairedLabels: { path: string; reason: string }[] = [];
  const imagePaths = new Set([...images.values()].flat());
  // By hand first: a pairing the user made takes the image from any label file its name would pair.
  for (const label of labels) {
    const image = byHand.get(label.path);
    if (typeof image !== 'string') continue;
    if (!imagePaths.has(image)) unpairedLabels.push({ path: label.path, reason: `the image it was paired with by hand (${isolate(image)}) is not among the images` });
    else if (labelOf.has(image)) unpairedLabels.push({ path: label.path, reason: `${isolate(image)} already has labels paired by hand (${isolate(labelOf.get(image) ?? '')})` });
    else labelOf.set(image, label.path);
  }
  for (const label of labels) {
    if (byHand.has(label.path)) continue;
    const candidates = images.get(label.key) ?? [];
    if (candidates.length === 0) {
      unpairedLabels.push({ path: label.path, reason: `no image with a matching name (looked for ${describeKey(label.key)})` });
    } else if (candidates.length > 1) {
      unpairedLabels.push({ path: label.path, reason: `several images match it (${candidates.map(isolate).join(', ')}); rename one` });
    } else if (labelOf.has(candidates[0] as string)) {
      const other = labelOf.get(candidates[0] as string) ?? '';
      unpairedLabels.push({ path: label.path, reason: `${isolate(candidates[0] as string)} already has labels (${isolate(other)}${byHand.has(other) ? ', paired by hand' : ''})` });
    } else {
      labelOf.set(candidates[0] as string, label.path);
    }
  }

  const pairs: PairedFile[] = [];
  for (const path of paths) {
    if (roleOf(path)?.role === 'image') pairs.push({ image: path, label: labelOf.get(path) ?? null });
  }
  return { pairs, unpairedLabels, ignored };
}

function classify(path: string): Classified | null {
  const parts = path.replace(/\\/g, '/').split('/').filter((p) => p.length > 0);
  const fileName = parts.pop() ?? '';
  const dot = fileName.lastIndexOf('.');
  const extension = dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
  if (!(IMAGE_EXTENSIONS as readonly string[]).includes(extension)) return null;
  let stem = fileName.slice(0, dot).toLowerCase();
  const folders = parts.map((p) => p.toLowerCase());
  const lastFolder = folders.at(-1);
  let role: 'image' | 'label' = 'image';
  if (lastFolder !== undefined && (LABEL_FOLDERS.has(lastFolder) || IMAGE_FOLDERS.has(lastFolder))) {
    role = LABEL_FOLDERS.has(lastFolder) ? 'label' : 'image';
    folders[folders.length - 1] = '*';
  }
  const nameWords = words(stem);
  const kept = nameWords.filter((w) => !LABEL_WORDS.has(w));
  // A name made only of a label word ("mask.png") stays a name: nothing would be left to match.
  if (kept.length > 0 && kept.length < nameWords.length) {
    role = 'label';
    // Image words go as on the image side: train-volume_labels (the studio's export) pairs with train-volume.
    const withoutImageWords = kept.filter((w) => !IMAGE_WORDS.has(w));
    stem = (withoutImageWords.length > 0 ? withoutImageWords : kept).join('-');
  } else if (role === 'image') {
    const withoutImageWords = nameWords.filter((w) => !IMAGE_WORDS.has(w));
    stem = (withoutImageWords.length > 0 ? withoutImageWords : nameWords).join('-');
  } else {
    stem = nameWords.join('-');
  }
  return { path, role, key: [...folders, stem].join('/') };
}

function describeKey(key: string): string {
  const parts = key.split('/');
  const stem = parts.pop() ?? key;
  const folder = parts.join('/').replace('*', 'images');
  return `${folder ? `${folder}/` : ''}${stem}.tif/.png/.jpg`;
}
