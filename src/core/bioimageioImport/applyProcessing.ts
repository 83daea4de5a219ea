import { percentileRanges } from '../image/normaliseImage';
import type { ProcessingOp } from './foreignModelSpec';

/**
 * bioimage.io's processing steps over interleaved values (index = pixel * channels + c), as its
 * documentation defines them: statistics per sample (this whole array) and per channel, NumPy's
 * linear percentiles, the population standard deviation, eps added to the divisor. Softmax runs over
 * the channels of each pixel. Returns a new array.
 */
export function applyProcessing(values: Float32Array, channels: number, ops: readonly ProcessingOp[]): Float32Array {
  let out: Float32Array = Float32Array.from(values);
  for (const op of ops) out = applyOne(out, channels, op);
  return out;
}

function applyOne(values: Float32Array, channels: number, op: ProcessingOp): Float32Array {
  switch (op.kind) {
    case 'scale_range':
      return perChannel(values, channels, (channel) => {
        const [range] = percentileRanges(channel, 1, op.lowPercent, op.highPercent);
        const { low, range: width } = range as { low: number; range: number };
        return (v) => (v - low) / (width + op.eps);
      });
    case 'zero_mean_unit_variance':
      return perChannel(values, channels, (channel) => {
        const { mean, std } = meanAndStd(channel);
        return (v) => (v - mean) / (std + op.eps);
      });
    case 'fixed_zero_mean_unit_variance':
      return values.map((v) => (v - op.mean) / (op.std + op.eps));
    case 'scale_linear':
      return values.map((v) => v * op.gain + op.offset);
    case 'clip':
      return perChannel(values, channels, (channel) => {
        const percent = (p: number | null) => (p === null ? null : (percentileRanges(channel, 1, p, p)[0] as { low: number }).low);
        const low = op.min ?? percent(op.minPercent) ?? -Infinity;
        const high = op.max ?? percent(op.maxPercent) ?? Infinity;
        return (v) => Math.min(high, Math.max(low, v));
      });
    case 'sigmoid':
      return values.map((v) => 1 / (1 + Math.exp(-v)));
    case 'binarize':
      return values.map((v) => (v > op.threshold ? 1 : 0));
    case 'softmax':
      return softmaxOverChannels(values, channels);
    default: {
      const unknown: never = op;
      throw new Error(`Unknown processing step ${JSON.stringify(unknown)}`);
    }
  }
}

function perChannel(values: Float32Array, channels: number, make: (channel: Float32Array) => (v: number) => number): Float32Array {
  const out = new Float32Array(values.length);
  const count = values.length / channels;
  for (let c = 0; c < channels; c++) {
    const channel = new Float32Array(count);
    for (let i = 0; i < count; i++) channel[i] = values[i * channels + c] as number;
    const f = make(channel);
    for (let i = 0; i < count; i++) out[i * channels + c] = f(channel[i] as number);
  }
  return out;
}

/** In float64, as NumPy's mean and std (ddof 0) of float32 data accumulate. */
function meanAndStd(values: Float32Array): { mean: number; std: number } {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) * (v - mean);
  return { mean, std: Math.sqrt(squares / values.length) };
}

function softmaxOverChannels(values: Float32Array, channels: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i += channels) {
    let max = -Infinity;
    for (let c = 0; c < channels; c++) max = Math.max(max, values[i + c] as number);
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += (out[i + c] = Math.exp((values[i + c] as number) - max));
    for (let c = 0; c < channels; c++) out[i + c] = (out[i + c] as number) / sum;
  }
  return out;
}
