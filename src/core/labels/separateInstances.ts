import { distanceTransform } from '../weights/distanceTransform';
import { connectedComponents } from './connectedComponents';

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
  const background = Uint8Array.from(foreground, (f) => (f ? 0 : 1));
  const depth = distanceTransform(background, width, height);
  const objects = connectedComponents(foreground, width, height, 4);
  const maxDepth = new Float32Array(objects.count + 1);
  const size = new Int32Array(objects.count + 1);
  for (let i = 0; i < depth.length; i++) {
    const id = objects.labels[i] as number;
    if (id === 0) continue;
    size[id] = (size[id] as number) + 1;
    if ((depth[i] as number) > (maxDepth[id] as number)) maxDepth[id] = depth[i] as number;
  }
  const seedMask = new Uint8Array(width * height);
  for (let i = 0; i < seedMask.length; i++) {
    const id = objects.labels[i] as number;
    if (id === 0) continue;
    // Small objects seed everywhere: they stay whole.
    seedMask[i] = (size[id] as number) < params.minObjectPx || (depth[i] as number) >= params.seedDepthFraction * (maxDepth[id] as number) ? 1 : 0;
  }
  const seeds = connectedComponents(seedMask, width, height, 8);
  const labels = Int32Array.from(seeds.labels);

  // Grow the seeds over the foreground ring by ring, deepest pixels first within each ring.
  const order: number[] = [];
  for (let i = 0; i < labels.length; i++) if (foreground[i] && labels[i] === 0) order.push(i);
  order.sort((a, b) => (depth[b] as number) - (depth[a] as number));
  let pending = order;
  while (pending.length > 0) {
    const next: number[] = [];
    for (const i of pending) {
      const x = i % width;
      const y = (i - x) / width;
      const neighbour = (x > 0 && labels[i - 1]) || (x < width - 1 && labels[i + 1]) || (y > 0 && labels[i - width]) || (y < height - 1 && labels[i + width]) || 0;
      if (neighbour) labels[i] = neighbour;
      else next.push(i);
    }
    if (next.length === pending.length) break; // unreachable pixels (cannot happen: every object has a seed)
    pending = next;
  }
  return { labels, count: seeds.count };
}
