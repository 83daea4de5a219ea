import { invalidConfig } from '../errors';
import { UNLABELLED } from '../labels/classMap';
import { squaredDistanceTransformInPlace } from './distanceTransform';

export interface WeightMapParams {
  /** Amplitude of the border term (the paper: 10). */
  readonly w0: number;
  /** Width of the border term in pixels (the paper: about 5). */
  readonly sigmaPx: number;
  /** Balance class frequencies over the labelled pixels (w_c); 1 everywhere when false. */
  readonly classBalance: boolean;
}

export const PAPER_WEIGHT_MAP: WeightMapParams = { w0: 10, sigmaPx: 5, classBalance: true };

/** Border-term values below this fraction of w0 are taken as 0: it bounds how far from each object we look. */
const BORDER_TERM_CUTOFF = 1e-6;

/**
 * The paper's weight map, w(x) = w_c(x) + w0 * exp(-(d1(x) + d2(x))^2 / (2 sigma^2)):
 * - w_c(k) = N_labelled / (K_present * N_k): every class present gets the same total weight
 *   (mean 1 over labelled pixels);
 * - the border term applies to background pixels (class 0), with d1, d2 the exact Euclidean
 *   distances to the nearest and second-nearest object (instance);
 * - unlabelled pixels get 0, so training ignores them.
 *
 * Distances come from an exact distance transform (Felzenszwalb-Huttenlocher) of each object
 * within its bounding box grown by R = sigma * sqrt(2 ln(1/cutoff)): beyond R the border term is
 * below 1e-6 * w0, so the work is linear in the total object area, not objects x image.
 *
 * @param classes   width*height class indices, UNLABELLED for unannotated pixels
 * @param instances width*height object ids (0 = none), or null for no border term
 */
export function computeWeightMap(classes: Int32Array, instances: Int32Array | null, width: number, height: number, params: WeightMapParams): Float32Array {
  if (!(params.w0 >= 0) || !(params.sigmaPx > 0)) {
    throw invalidConfig(`Weight map needs w0 >= 0 and sigma > 0 (got w0 ${params.w0}, sigma ${params.sigmaPx} px).`);
  }
  const weights = classBalanceWeights(classes, params.classBalance);
  if (instances && params.w0 > 0) {
    const [d1, d2] = twoNearestObjectDistances(instances, width, height, params.sigmaPx * Math.sqrt(2 * Math.log(1 / BORDER_TERM_CUTOFF)));
    const twoSigmaSq = 2 * params.sigmaPx * params.sigmaPx;
    for (let i = 0; i < weights.length; i++) {
      if (classes[i] !== 0) continue;
      const sum = (d1[i] as number) + (d2[i] as number);
      if (sum < Infinity) weights[i] = (weights[i] as number) + params.w0 * Math.exp(-(sum * sum) / twoSigmaSq);
    }
  }
  return weights;
}

function classBalanceWeights(classes: Int32Array, balance: boolean): Float32Array {
  let maxClass = 0;
  for (let i = 0; i < classes.length; i++) if ((classes[i] as number) > maxClass) maxClass = classes[i] as number;
  const counts = new Float64Array(maxClass + 1);
  let labelled = 0;
  for (let i = 0; i < classes.length; i++) {
    const k = classes[i] as number;
    if (k === UNLABELLED) continue;
    counts[k] = (counts[k] as number) + 1;
    labelled++;
  }
  const present = counts.filter((n) => n > 0).length;
  const weightOf = Float64Array.from(counts, (n) => (n === 0 ? 0 : balance ? labelled / (present * n) : 1));
  const weights = new Float32Array(classes.length);
  for (let i = 0; i < classes.length; i++) {
    const k = classes[i] as number;
    weights[i] = k === UNLABELLED ? 0 : (weightOf[k] as number);
  }
  return weights;
}

/** Per background pixel, the distances to the nearest and second-nearest object within reachPx (else Infinity). */
function twoNearestObjectDistances(instances: Int32Array, width: number, height: number, reachPx: number): [Float64Array, Float64Array] {
  const d1 = new Float64Array(width * height).fill(Infinity);
  const d2 = new Float64Array(width * height).fill(Infinity);
  const reach = Math.ceil(reachPx);
  const reachSq = reachPx * reachPx;
  const boxes = boundingBoxes(instances, width, height);
  // One scratch buffer for every object's window, sized for the largest.
  let largest = 0;
  for (const box of boxes) largest = Math.max(largest, (Math.min(width - 1, box.x1 + reach) - Math.max(0, box.x0 - reach) + 1) * (Math.min(height - 1, box.y1 + reach) - Math.max(0, box.y0 - reach) + 1));
  const scratch = new Float64Array(largest);
  for (const box of boxes) {
    const x0 = Math.max(0, box.x0 - reach);
    const y0 = Math.max(0, box.y0 - reach);
    const w = Math.min(width - 1, box.x1 + reach) - x0 + 1;
    const h = Math.min(height - 1, box.y1 + reach) - y0 + 1;
    const local = scratch.subarray(0, w * h);
    for (let y = 0; y < h; y++) {
      const src = (y + y0) * width + x0;
      const dst = y * w;
      for (let x = 0; x < w; x++) local[dst + x] = instances[src + x] === box.id ? 0 : 1e20;
    }
    squaredDistanceTransformInPlace(local, w, h, box.x0 - x0, box.x1 - x0);
    for (let y = 0; y < h; y++) {
      const src = y * w;
      const dst = (y + y0) * width + x0;
      for (let x = 0; x < w; x++) {
        const sq = local[src + x] as number;
        const i = dst + x;
        // Only background pixels (no object) get the border term.
        if (sq > reachSq || instances[i] !== 0) continue;
        const d = Math.sqrt(sq);
        const first = d1[i] as number;
        if (d < first) {
          d2[i] = first;
          d1[i] = d;
        } else if (d < (d2[i] as number)) {
          d2[i] = d;
        }
      }
    }
  }
  return [d1, d2];
}

interface Box { id: number; x0: number; y0: number; x1: number; y1: number }

function boundingBoxes(instances: Int32Array, width: number, height: number): Box[] {
  const index = new Map<number, Box>();
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const id = instances[row + x] as number;
      if (id === 0) continue;
      const box = index.get(id);
      if (!box) index.set(id, { id, x0: x, y0: y, x1: x, y1: y });
      else {
        if (x < box.x0) box.x0 = x;
        if (x > box.x1) box.x1 = x;
        box.y1 = y;
      }
    }
  }
  return [...index.values()];
}
