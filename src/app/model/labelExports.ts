import { StudioError } from '../../core/errors';
import { encodePng } from '../../core/io/encodePng';
import { encodeTiff } from '../../core/io/encodeTiff';
import { UNLABELLED } from '../../core/labels/classMap';
import { UNLABELLED_FILE_VALUE } from '../../core/labels/interpretLabels';
import { zipNamedFiles, type NamedBytes } from './modelZip';

/** One slice's labels as the registry holds them, with the name of the slice. */
export interface LabelledSlice {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly classes: Int32Array;
  readonly instances: Int32Array | null;
}

export const LABEL_PNG_ZIP_NAME = 'labels-png.zip';

/**
 * Class maps as 8-bit images: class k is k, unlabelled 255 (as PyTorch's ignore_index and Pascal VOC
 * have it, and as the studio's import reads such a file back: guessInterpretation). At most 255 classes.
 */
export function classMapBytes(slice: LabelledSlice): Uint8Array {
  return Uint8Array.from(slice.classes, (k) => {
    if (k === UNLABELLED) return UNLABELLED_FILE_VALUE;
    if (k < 0 || k >= UNLABELLED_FILE_VALUE) throw new StudioError('unsupported-format', `${slice.name} has class ${k}: an 8-bit label export holds classes 0-254.`);
    return k;
  });
}

function instanceBytes(slice: LabelledSlice, instances: Int32Array): Uint16Array {
  return Uint16Array.from(instances, (id) => {
    if (id < 0 || id > 65535) throw new StudioError('unsupported-format', `${slice.name} has object id ${id}: a 16-bit instance map holds ids up to 65535.`);
    return id;
  });
}

/** "train-volume.tif 3/20" -> "train-volume": the file a slice came from, without its extension. */
function sourceStem(name: string): string {
  const file = name.replace(/ \d+\/\d+$/, '');
  return file.replace(/\.(tiff?|png|jpe?g)$/i, '').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[_.]+|_+$/g, '') || 'slice';
}

/**
 * Per source image (a stack stays a stack), `<name>_labels.tif`: uint8 class maps, one page per
 * slice, which the import pairs with `<name>.tif` again and reads back as the same labels; and,
 * where slices have instance maps, `<name>_instances.tif` (uint16). Slices of another size from
 * the same file go to their own files, named by size.
 */
export function buildLabelTiffs(slices: readonly LabelledSlice[]): NamedBytes[] {
  const groups = new Map<string, LabelledSlice[]>();
  for (const slice of slices) {
    const key = `${sourceStem(slice.name)}\u0000${slice.width}x${slice.height}`;
    groups.set(key, [...(groups.get(key) ?? []), slice]);
  }
  const stems = new Map<string, number>();
  for (const key of groups.keys()) stems.set(key.split('\u0000')[0] as string, (stems.get(key.split('\u0000')[0] as string) ?? 0) + 1);
  return [...groups].flatMap(([key, group]) => {
    const [stem, size] = key.split('\u0000') as [string, string];
    const name = (stems.get(stem) ?? 0) > 1 ? `${stem}-${size}` : stem;
    const { width, height } = group[0] as LabelledSlice;
    const pixels = width * height;
    const stack = { width, height, slices: group.length, channels: 1 } as const;
    const classes = new Uint8Array(pixels * group.length);
    group.forEach((slice, z) => classes.set(classMapBytes(slice), z * pixels));
    const files: NamedBytes[] = [{ name: `${name}_labels.tif`, bytes: encodeTiff({ ...stack, dtype: 'uint8', data: classes }) }];
    if (group.some((s) => s.instances)) {
      const instances = new Uint16Array(pixels * group.length);
      group.forEach((slice, z) => { if (slice.instances) instances.set(instanceBytes(slice, slice.instances), z * pixels); });
      files.push({ name: `${name}_instances.tif`, bytes: encodeTiff({ ...stack, dtype: 'uint16', data: instances }) });
    }
    return files;
  });
}

/** One zip: per slice `<slice>_labels.png` (8-bit class map, 255 unlabelled) and `<slice>_instances.png` (16-bit) where it has one. */
export function buildLabelPngZip(slices: readonly LabelledSlice[]): Uint8Array {
  const used = new Set<string>();
  const entries = slices.flatMap((slice) => {
    const base = slice.name.replace(/\.(tiff?|png|jpe?g)$/i, '').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[_.]+|_+$/g, '') || 'slice';
    let stem = base;
    for (let n = 2; used.has(stem); n++) stem = `${base}-${n}`;
    used.add(stem);
    const { width, height } = slice;
    const files: NamedBytes[] = [{ name: `${stem}_labels.png`, bytes: encodePng({ width, height, slices: 1, channels: 1, dtype: 'uint8', data: classMapBytes(slice) }) }];
    if (slice.instances) files.push({ name: `${stem}_instances.png`, bytes: encodePng({ width, height, slices: 1, channels: 1, dtype: 'uint16', data: instanceBytes(slice, slice.instances) }) });
    return files;
  });
  return zipNamedFiles(entries);
}
