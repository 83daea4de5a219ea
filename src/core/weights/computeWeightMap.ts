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
  const weights = new Float32Array(classes.length);
  const counts = new Map<number, number>();
  let labelled = 0;
  for (let i = 0; i < classes.length; i++) {
    const k = classes[i] as number;
    if (k === UNLABELLED) continue;
    counts.set(k, (counts.get(k) ?? 0) + 1);
    labelled++;
  }
  const weightOf = new Map<number, number>();
  for (const [k, n] of counts) weightOf.set(k, balance ? labelled / (counts.size * n) : 1);
  for (let i = 0; i < classes.length; i++) {
    const k = classes[i] as number;
    weights[i] = k === UNLABELLED ? 0 : (weightOf.get(k) as number);
  }
  return weights;
}

/** Per pixel, the distances to the nearest and second-nearest object within reachPx (else Infinity). */
function twoNearestObjectDistances(instances: Int32Array, width: number, height: number, reachPx: number): [Float32Array, Float32Array] {
  const d1 = new Float32Array(width * height).fill(Infinity);
  const d2 = new Float32Array(width * height).fill(Infinity);
  const reach = Math.ceil(reachPx);
  const reachSq = reachPx * reachPx;
  for (const [id, box] of boundingBoxes(instances, width, height)) {
    const x0 = Math.max(0, box.x0 - reach);
    const y0 = Math.max(0, box.y0 - reach);
    const x1 = Math.min(width - 1, box.x1 + reach);
    const y1 = Math.min(height - 1, box.y1 + reach);
    const w = x1 - x0 + 1;
    const h = y1 - y0 + 1;
    const local = new Float64Array(w * h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) local[y * w + x] = instances[(y + y0) * width + x + x0] === id ? 0 : 1e20;
    }
    squaredDistanceTransformInPlace(local, w, h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const sq = local[y * w + x] as number;
        if (sq > reachSq) continue;
        const i = (y + y0) * width + x + x0;
        const d = Math.sqrt(sq);
        if (d < (d1[i] as number)) {
          d2[i] = d1[i] as number;
          d1[i] = d;
        } else if (d < (d2[i] as number)) {
          d2[i] = d;
        }
      }
    }
  }
  return [d1, d2];
}

interface Box { x0: number; y0: number; x1: number; y1: number }

function boundingBoxes(instances: Int32Array, width: number, height: number): Map<number, Box> {
  const boxes = new Map<number, Box>();
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const id = instances[y * width + x] as number;
      if (id === 0) continue;
      const box = boxes.get(id);
      if (!box) boxes.set(id, { x0: x, y0: y, x1: x, y1: y });
      else {
        if (x < box.x0) box.x0 = x;
        if (x > box.x1) box.x1 = x;
        if (y > box.y1) box.y1 = y;
      }
    }
  }
  return boxes;
}
