import { StudioError } from '../errors';
import { isolate } from '../text/isolate';
import type { SizeRule, TensorAxis } from './foreignModelSpec';

export interface InputAxes {
  readonly axes: readonly TensorAxis[];
  readonly channels: number;
  readonly sizes: { readonly y: SizeRule; readonly x: SizeRule };
}

export interface OutputAxes {
  readonly axes: readonly TensorAxis[];
  readonly channels: number;
  readonly haloPx: number;
  readonly offsetPx: number;
  readonly channelNames: readonly string[] | null;
}

type Rec = Record<string, unknown>;
const rec = (value: unknown): Rec => (typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Rec : {});
const ints = (value: unknown): number[] | null => (Array.isArray(value) && value.every((v) => Number.isInteger(v)) ? value as number[] : null);

/** Refusals say what failed and what to do; the package name and tensor ids are isolated. */
export function axisRefusal(packageName: string, what: string, todo = 'The studio runs 2D models with one input image of one channel.'): StudioError {
  return new StudioError('unsupported-format', `${isolate(packageName)} cannot be run here: ${what}. ${todo}`);
}

/** Axis letters of one tensor, 0.4 ("bcyx") or 0.5 (a list of axis objects); 3D, time and index axes are refused. */
function axisLetters(axes: unknown, packageName: string, tensorId: string): { letters: TensorAxis[]; objects: Rec[] } {
  const objects: Rec[] = typeof axes === 'string' ? [...axes].map((letter) => ({ letter })) : Array.isArray(axes) ? axes.map(rec) : [];
  if (objects.length === 0) throw axisRefusal(packageName, `tensor ${isolate(tensorId)} lists no axes`);
  const letters = objects.map((axis): string => {
    if (typeof axis.letter === 'string') return axis.letter;
    switch (axis.type) {
      case 'batch': return 'b';
      case 'channel': return 'c';
      case 'space': return typeof axis.id === 'string' ? axis.id : 'x';
      default: return String(axis.type ?? '?');
    }
  });
  const shown = letters.join('');
  if (letters.includes('z')) throw axisRefusal(packageName, `it is a 3D model (axes ${shown} of ${isolate(tensorId)}), and the studio segments 2D slices`, 'Use a 2D model, or run this one in bioimageio.core or deepImageJ.');
  const unknown = letters.filter((l) => !['b', 'c', 'y', 'x'].includes(l));
  if (unknown.length > 0) throw axisRefusal(packageName, `tensor ${isolate(tensorId)} has axes ${shown}, and the studio knows only batch, channel, y and x (not ${unknown.join(', ')})`);
  if (!letters.includes('y') || !letters.includes('x')) throw axisRefusal(packageName, `tensor ${isolate(tensorId)} has axes ${shown}, without both image axes y and x`);
  if (new Set(letters).size !== letters.length) throw axisRefusal(packageName, `tensor ${isolate(tensorId)} names an axis twice (${shown})`);
  return { letters: letters as TensorAxis[], objects };
}

/** The input's axes, channel count and the tile rule of y and x (0.5 `size`, 0.4 `shape`). */
export function readInputAxes(tensor: Rec, version04: boolean, packageName: string, tensorId: string): InputAxes {
  const { letters, objects } = axisLetters(tensor.axes, packageName, tensorId);
  const sizeOf = (letter: TensorAxis): SizeRule | null => {
    const i = letters.indexOf(letter);
    if (i < 0) return null;
    if (version04) {
      const shape = tensor.shape;
      const fixed = ints(shape);
      if (fixed) return { minPx: fixed[i] as number, stepPx: 0 };
      const min = ints(rec(shape).min);
      const step = ints(rec(shape).step);
      if (!min || !step || min.length !== letters.length || step.length !== letters.length) throw axisRefusal(packageName, `the shape of input ${isolate(tensorId)} is neither a list of sizes nor {min, step} for each axis`);
      return { minPx: min[i] as number, stepPx: step[i] as number };
    }
    const size = objects[i]?.size;
    if (Number.isInteger(size)) return { minPx: size as number, stepPx: 0 };
    const param = rec(size);
    if (Number.isInteger(param.min) && Number.isInteger(param.step)) return { minPx: param.min as number, stepPx: param.step as number };
    if (letter === 'b' || size === undefined || size === null) return { minPx: 1, stepPx: letter === 'b' ? 0 : 1 };
    throw axisRefusal(packageName, `the ${letter} size of input ${isolate(tensorId)} refers to another tensor, which a single-input model cannot`);
  };
  // 0.5 gives a channel axis as its names; 0.4 as the shape's size there.
  const channels = letters.includes('c')
    ? version04 ? (sizeOf('c') as SizeRule) : { minPx: arrayLength(objects[letters.indexOf('c')]?.channel_names) ?? 1, stepPx: 0 }
    : { minPx: 1, stepPx: 0 };
  if (channels.stepPx !== 0) throw axisRefusal(packageName, `input ${isolate(tensorId)} takes a variable number of channels`);
  if (channels.minPx !== 1) {
    throw axisRefusal(packageName, `it takes ${channels.minPx} input channels, and the studio runs third-party models on one-channel (grey) images only`,
      'Use a one-channel model, or run this one in bioimageio.core or deepImageJ.');
  }
  return { axes: letters, channels: 1, sizes: { y: sizeOf('y') as SizeRule, x: sizeOf('x') as SizeRule } };
}

/**
 * The output's axes, channels, halo and size offset relative to the input (y and x must agree: the studio
 * tiles in squares). 0.5: `size: {tensor_id, axis_id, offset}` (offset is the whole difference), `halo`;
 * 0.4: `shape: {reference_tensor, scale, offset}` (offset per side: the difference is twice it), `halo` per axis.
 */
export function readOutputAxes(tensor: Rec, version04: boolean, packageName: string, tensorId: string, input: InputAxes): OutputAxes {
  const { letters, objects } = axisLetters(tensor.axes, packageName, tensorId);
  const perAxis = (letter: 'y' | 'x'): { offset: number; halo: number } => {
    const i = letters.indexOf(letter);
    const inputRule = input.sizes[letter];
    const fromFixed = (size: number) => {
      if (inputRule.stepPx !== 0) throw axisRefusal(packageName, `output ${isolate(tensorId)} has a fixed ${letter} size (${size} px) while the input's varies`);
      return size - inputRule.minPx;
    };
    if (version04) {
      const shape = tensor.shape;
      const halo = (ints(tensor.halo) ?? [])[i] ?? 0;
      const fixed = ints(shape);
      if (fixed) return { offset: fromFixed(fixed[i] as number), halo };
      const scale = (rec(shape).scale as unknown[] | undefined)?.[i] ?? 1;
      const offset = (rec(shape).offset as unknown[] | undefined)?.[i] ?? 0;
      if (scale !== 1) throw axisRefusal(packageName, `output ${isolate(tensorId)} is rescaled (${letter} scale ${String(scale)}) against the input`, 'The studio needs output pixels on input pixels.');
      return { offset: 2 * Number(offset), halo };
    }
    const axis = objects[i] as Rec;
    const halo = Number.isInteger(axis.halo) ? axis.halo as number : 0;
    if (Number.isInteger(axis.size)) return { offset: fromFixed(axis.size as number), halo };
    const reference = rec(axis.size);
    if ((axis.scale ?? 1) !== 1) throw axisRefusal(packageName, `output ${isolate(tensorId)} is rescaled (${letter} scale ${String(axis.scale)}) against the input`, 'The studio needs output pixels on input pixels.');
    if (reference.axis_id !== undefined && reference.axis_id !== letter) throw axisRefusal(packageName, `the ${letter} size of output ${isolate(tensorId)} follows the input's ${String(reference.axis_id)} axis`);
    return { offset: Number.isInteger(reference.offset) ? reference.offset as number : 0, halo };
  };
  const y = perAxis('y');
  const x = perAxis('x');
  if (y.offset !== x.offset || y.halo !== x.halo) {
    throw axisRefusal(packageName, `output ${isolate(tensorId)} differs between y and x (size offset ${y.offset} / ${x.offset} px, halo ${y.halo} / ${x.halo} px), and the studio predicts in square tiles`);
  }
  if (y.offset % 2 !== 0 || y.offset > 0 || y.halo < 0) throw axisRefusal(packageName, `output ${isolate(tensorId)} has a size offset of ${y.offset} px and a halo of ${y.halo} px, which do not describe a border around a tile`);
  const channelNames = letters.includes('c') && !version04 ? namesOf(objects[letters.indexOf('c')]?.channel_names) : null;
  return { axes: letters, channels: outputChannels(tensor, version04, letters, objects), haloPx: y.halo, offsetPx: y.offset, channelNames };
}

function outputChannels(tensor: Rec, version04: boolean, letters: TensorAxis[], objects: Rec[]): number {
  const c = letters.indexOf('c');
  if (c < 0) return 1;
  if (!version04) return arrayLength(objects[c]?.channel_names) ?? 1;
  const fixed = ints(tensor.shape);
  if (fixed) return fixed[c] as number;
  // 0.4 reference shape: the input's channels (one) scaled, plus twice the offset.
  const shape = rec(tensor.shape);
  return Math.round(Number((shape.scale as unknown[] | undefined)?.[c] ?? 1) + 2 * Number((shape.offset as unknown[] | undefined)?.[c] ?? 0));
}

function arrayLength(value: unknown): number | null {
  return Array.isArray(value) ? value.length : null;
}

function namesOf(value: unknown): string[] | null {
  return Array.isArray(value) ? value.map(String) : null;
}
