import { StudioError } from '../errors';
import { isolate } from '../text/isolate';
import type { ProcessingOp } from './foreignModelSpec';

export interface ProcessingContext {
  /** The package, for messages (isolated here). */
  readonly packageName: string;
  readonly tensorId: string;
  readonly where: 'input' | 'output';
  /** Filled with what the studio took for granted. */
  readonly assumptions: string[];
}

type Kwargs = Record<string, unknown>;
const DEFAULT_EPS = 1e-6;

/**
 * An rdf tensor's `preprocessing` / `postprocessing` list (0.5: `{id, kwargs}`; 0.4: `{name, kwargs}`) as
 * the steps the studio applies, or a StudioError naming the first step it cannot apply faithfully.
 */
export function readProcessingOps(list: unknown, context: ProcessingContext): ProcessingOp[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw refusal(context, `its ${stage(context)} is not a list`);
  const ops: ProcessingOp[] = [];
  for (const entry of list as unknown[]) {
    const record = (typeof entry === 'object' && entry !== null ? entry : {}) as Kwargs;
    const name = typeof record.id === 'string' ? record.id : typeof record.name === 'string' ? record.name : null;
    if (name === null) throw refusal(context, `a step of its ${stage(context)} has no id`);
    const kwargs = (typeof record.kwargs === 'object' && record.kwargs !== null ? record.kwargs : {}) as Kwargs;
    const op = readOp(name, kwargs, context);
    if (op) ops.push(op);
  }
  return ops;
}

function readOp(name: string, kwargs: Kwargs, context: ProcessingContext): ProcessingOp | null {
  const input = context.where === 'input';
  const cannot = (why: string) => refusal(context, `the ${stepOf(context, name)} ${why}`);
  const perImage = () => {
    // Statistics of the whole image cannot be taken tile by tile, and the output only exists tile by tile.
    if (!input) throw cannot('needs statistics of the whole output image, and the studio predicts tile by tile');
    assertPerSample(kwargs, cannot);
  };
  switch (name) {
    case 'ensure_dtype': {
      const dtype = String(kwargs.dtype ?? 'float32');
      if (dtype === 'float32' || dtype === 'float64') return null; // the studio computes in float32 anyway
      if (input) throw cannot(`casts to ${dtype}, which the studio does not do`);
      context.assumptions.push(`The output's cast to ${dtype} is left out: the studio keeps the values as they are.`);
      return null;
    }
    case 'scale_range':
      perImage();
      return {
        kind: 'scale_range',
        lowPercent: numberOr(kwargs.min_percentile, 0, cannot),
        highPercent: numberOr(kwargs.max_percentile, 100, cannot),
        eps: numberOr(kwargs.eps, DEFAULT_EPS, cannot),
      };
    case 'zero_mean_unit_variance':
      // 0.4 writes a fixed mean and std into this one too (mode: fixed).
      if (kwargs.mode === 'fixed') return fixedZeroMean(kwargs, cannot);
      perImage();
      return { kind: 'zero_mean_unit_variance', eps: numberOr(kwargs.eps, DEFAULT_EPS, cannot) };
    case 'fixed_zero_mean_unit_variance':
      return fixedZeroMean(kwargs, cannot);
    case 'scale_linear':
      return { kind: 'scale_linear', gain: singleNumber(kwargs.gain, 1, cannot), offset: singleNumber(kwargs.offset, 0, cannot) };
    case 'clip': {
      const minPercent = optionalNumber(kwargs.min_percentile, cannot);
      const maxPercent = optionalNumber(kwargs.max_percentile, cannot);
      if (minPercent !== null || maxPercent !== null) perImage();
      return { kind: 'clip', min: optionalNumber(kwargs.min, cannot), max: optionalNumber(kwargs.max, cannot), minPercent, maxPercent };
    }
    case 'sigmoid':
      return { kind: 'sigmoid' };
    case 'softmax':
      if (input) throw cannot('runs over channels, and the studio feeds one channel');
      return { kind: 'softmax' };
    case 'binarize': {
      const threshold = singleNumber(kwargs.threshold, 0.5, cannot);
      // On the output it counts for the test tensors only: the threshold slider makes the studio's mask.
      if (!input) context.assumptions.push(`Its binarize step (threshold ${threshold}) is left to the studio's threshold slider, so the probabilities stay visible.`);
      return { kind: 'binarize', threshold };
    }
    default:
      throw cannot('is not one the studio can apply faithfully (it applies scale_range, zero_mean_unit_variance, scale_linear, clip, sigmoid, softmax, binarize)');
  }
}

function fixedZeroMean(kwargs: Kwargs, cannot: (why: string) => StudioError): ProcessingOp {
  const mean = singleNumber(kwargs.mean, Number.NaN, cannot);
  const std = singleNumber(kwargs.std, Number.NaN, cannot);
  if (!Number.isFinite(mean) || !Number.isFinite(std)) throw cannot('gives no mean and std');
  return { kind: 'fixed_zero_mean_unit_variance', mean, std, eps: numberOr(kwargs.eps, DEFAULT_EPS, cannot) };
}

/** Per-sample statistics over both image axes of this tensor: anything else needs data the package lacks. */
function assertPerSample(kwargs: Kwargs, cannot: (why: string) => StudioError): void {
  const mode = kwargs.mode;
  if (mode === 'per_dataset') throw cannot('uses statistics of the whole training data set (mode per_dataset), which the package does not hold');
  if (mode !== undefined && mode !== 'per_sample') throw cannot(`has mode ${String(mode)}, which the studio does not know`);
  if (kwargs.reference_tensor !== undefined && kwargs.reference_tensor !== null) throw cannot('takes its statistics from another tensor, which the studio does not do');
  const axes = kwargs.axes;
  if (axes === undefined || axes === null) return;
  // 0.4: a string of axis letters ("xy", "xyc"); 0.5: a list of axis ids.
  const ids = typeof axes === 'string' ? [...axes] : Array.isArray(axes) ? axes.map(String) : null;
  if (!ids || !ids.includes('x') || !ids.includes('y')) throw cannot(`takes its statistics along ${JSON.stringify(axes)}, not over the whole image (y and x)`);
}

function numberOr(value: unknown, fallback: number, cannot: (why: string) => StudioError): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw cannot(`has a setting that is not a number (${JSON.stringify(value)})`);
  return value;
}

function optionalNumber(value: unknown, cannot: (why: string) => StudioError): number | null {
  return value === undefined || value === null ? null : numberOr(value, 0, cannot);
}

/** A number, or a list of one (a per-channel value over the one channel). */
function singleNumber(value: unknown, fallback: number, cannot: (why: string) => StudioError): number {
  if (Array.isArray(value)) {
    if (value.length !== 1) throw cannot(`gives ${value.length} values, one per channel, where the studio runs one channel`);
    return numberOr(value[0], fallback, cannot);
  }
  return numberOr(value, fallback, cannot);
}

/** "preprocessing step scale_range of input raw". */
function stepOf(context: ProcessingContext, name: string): string {
  return `${context.where === 'input' ? 'preprocessing' : 'postprocessing'} step ${isolate(name)} of ${context.where} ${isolate(context.tensorId)}`;
}

function stage(context: ProcessingContext): string {
  return `${context.where === 'input' ? 'preprocessing' : 'postprocessing'} of ${context.where} ${isolate(context.tensorId)}`;
}

function refusal(context: ProcessingContext, what: string): StudioError {
  return new StudioError('unsupported-format', `${isolate(context.packageName)} cannot be run as its authors meant: ${what}. ` +
    'Run it with bioimageio.core or deepImageJ, or ask its authors for a package without that step.');
}
