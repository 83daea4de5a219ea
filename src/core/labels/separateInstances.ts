import { distanceToOutside } from '../weights/distanceTransform';
import { connectedComponents, labelComponentsInPlace } from './connectedComponents';

export interface SeparationParams {
  /** Seeds are the parts of an object deeper than this fraction of its maximum depth (distance to background). */
  readonly seedDepthFraction: number;
  /** Objects smaller than this keep one id (no splitting of specks). */
  readonly minObjectPx: number;
}

export const DEFAULT_SEPARATION: SeparationParams = { seedDepthFraction: 0.7, minObjectPx: 10 };

/**
 * Instances from a foreground mask with touching objects separated: a distance-transform
 * watershed. Each 4-connected object's depth map (distance to the background) is thresholded at a
 * fraction of its own maximum to find seeds (one per cell core); the seeds then grow back over the
 * object in order of decreasing depth, so the split falls on the necks between cells.
 */
export function separateInstances(foreground: Uint8Array, width: number, height: number, params: SeparationParams = DEFAULT_SEPARATION): { labels: Int32Array; count: number } {
  const { depth, seeds } = separationSeeds(foreground, width, height, params);
  const labels = seeds.labels; // a fresh array: grown in place

  // Grow the seeds over the foreground ring by ring, deepest pixels first within each ring (ties by index).
  // Typed arrays, compacted in place: on a big slice a JS array of one entry per foreground pixel (10^8 and
  // more) outgrows the worker's JavaScript heap, and the pixels left for the next ring fit where they were.
  let pending = 0;
  for (let i = 0; i < labels.length; i++) if (foreground[i] && labels[i] === 0) pending++;
  const order = new Int32Array(pending);
  for (let i = 0, k = 0; i < labels.length; i++) if (foreground[i] && labels[i] === 0) order[k++] = i;
  sortByDecreasingDepth(order, depth);
  while (pending > 0) {
    let kept = 0;
    for (let k = 0; k < pending; k++) {
      const i = order[k] as number;
      const x = i % width;
      const y = (i - x) / width;
      const neighbour = (x > 0 && labels[i - 1]) || (x < width - 1 && labels[i + 1]) || (y > 0 && labels[i - width]) || (y < height - 1 && labels[i + width]) || 0;
      if (neighbour) labels[i] = neighbour;
      else order[kept++] = i;
    }
    if (kept === pending) break; // unreachable pixels (cannot happen: every object has a seed)
    pending = kept;
  }
  return { labels, count: seeds.count };
}

/** Each object's depth map (distance to the background) and its seeds: the parts deeper than a fraction of its own maximum (small objects whole). */
export function separationSeeds(foreground: Uint8Array, width: number, height: number, params: SeparationParams = DEFAULT_SEPARATION): { depth: Float32Array; seeds: { labels: Int32Array; count: number } } {
  const depth = distanceToOutside(foreground, width, height);
  const objects = connectedComponents(foreground, width, height, 4);
  const maxDepth = new Float32Array(objects.count + 1);
  const size = new Int32Array(objects.count + 1);
  for (let i = 0; i < depth.length; i++) {
    const id = objects.labels[i] as number;
    if (id === 0) continue;
    size[id] = (size[id] as number) + 1;
    if ((depth[i] as number) > (maxDepth[id] as number)) maxDepth[id] = depth[i] as number;
  }
  // The seed mask replaces the object numbers in their own array, which is then labelled in place.
  const cells = objects.labels;
  for (let i = 0; i < cells.length; i++) {
    const id = cells[i] as number;
    if (id === 0) continue;
    // Small objects seed everywhere: they stay whole.
    cells[i] = (size[id] as number) < params.minObjectPx || (depth[i] as number) >= params.seedDepthFraction * (maxDepth[id] as number) ? 1 : 0;
  }
  return { depth, seeds: labelComponentsInPlace(cells, width, height, 8) };
}

/**
 * Sorts pixel indices (ascending on entry) by decreasing depth, ties keeping index order: a stable
 * radix sort on the depths' float bits (non-negative floats order as their bit patterns). A
 * comparator sort copies a typed array into a JavaScript array, which V8 refuses past ~10^8 entries.
 */
export function sortByDecreasingDepth(order: Int32Array, depth: Float32Array): void {
  const bits = new Uint32Array(depth.buffer, depth.byteOffset, depth.length);
  let from: Int32Array = order;
  let to: Int32Array = new Int32Array(order.length);
  for (const shift of [0, 16]) {
    const counts = new Uint32Array(65537);
    // Decreasing depth: sort by the complement of each digit.
    for (let k = 0; k < from.length; k++) {
      const slot = 0xffff - (((bits[from[k] as number] as number) >>> shift) & 0xffff) + 1;
      counts[slot] = (counts[slot] as number) + 1;
    }
    for (let d = 1; d < counts.length; d++) counts[d] = (counts[d] as number) + (counts[d - 1] as number);
    for (let k = 0; k < from.length; k++) {
      const i = from[k] as number;
      const digit = 0xffff - (((bits[i] as number) >>> shift) & 0xffff);
      to[counts[digit] as number] = i;
      counts[digit] = (counts[digit] as number) + 1;
    }
    [from, to] = [to, from];
  }
  // Two passes: the sorted indices are back in `order`'s own array.
}
