import type { ImageStack } from '../image/imageStack';
import { mulberry32 } from '../random/mulberry32';

export interface ExampleStack {
  /** 8-bit grey EM-like slices: bright cells, dark membranes and organelles, blur and noise. */
  readonly image: ImageStack;
  /** ISBI-style labels: 255 = cell interior, 0 = membrane (and dark organelles, as in ISBI). */
  readonly labels: ImageStack;
}

export interface ExampleOptions {
  readonly sizePx: number;
  readonly slices: number;
  readonly cellsPerSlice: number;
  readonly seed: number;
}

export const DEFAULT_EXAMPLE: ExampleOptions = { sizePx: 256, slices: 4, cellsPerSlice: 36, seed: 2015 };

/**
 * The "Load example" data, generated in the page: a small serial-section stack of Voronoi cells
 * whose centres drift slice to slice (like neighbouring EM sections), with membranes 2-3 px wide,
 * a few dark mitochondria, blur and noise, and ground truth in the ISBI 2012 convention.
 */
export function makeExampleStack(options: ExampleOptions = DEFAULT_EXAMPLE): ExampleStack {
  const { sizePx, slices, cellsPerSlice, seed } = options;
  const random = mulberry32(seed);
  const n = sizePx * sizePx;
  const image = new Uint8Array(n * slices);
  const labels = new Uint8Array(n * slices);
  // Centres kept apart (rejection sampling): two near-coincident centres would turn a whole cell into membrane.
  const minGapPx = 0.5 * sizePx / Math.sqrt(cellsPerSlice);
  const centres: { x: number; y: number; shade: number }[] = [];
  for (let tries = 0; centres.length < cellsPerSlice && tries < 100 * cellsPerSlice; tries++) {
    const candidate = { x: random() * sizePx, y: random() * sizePx, shade: 150 + random() * 60 };
    if (centres.every((c) => Math.hypot(c.x - candidate.x, c.y - candidate.y) >= minGapPx)) centres.push(candidate);
  }
  const halfWidthPx = 1.2;
  for (let z = 0; z < slices; z++) {
    for (const c of centres) {
      c.x += (random() - 0.5) * 2;
      c.y += (random() - 0.5) * 2;
    }
    const organelles = Array.from({ length: 5 }, () => ({ x: random() * sizePx, y: random() * sizePx, rx: 3 + random() * 4, ry: 2 + random() * 3 }));
    const clean = new Float32Array(n);
    for (let y = 0; y < sizePx; y++) {
      for (let x = 0; x < sizePx; x++) {
        // Distance to the Voronoi edge: half the gap between the nearest and second-nearest centre distances.
        let d1 = Infinity;
        let d2 = Infinity;
        let shade = 0;
        for (const c of centres) {
          const d = Math.hypot(x - c.x, y - c.y);
          if (d < d1) { d2 = d1; d1 = d; shade = c.shade; } else if (d < d2) d2 = d;
        }
        const inOrganelle = organelles.some((o) => ((x - o.x) / o.rx) ** 2 + ((y - o.y) / o.ry) ** 2 <= 1);
        const isMembrane = (d2 - d1) / 2 <= halfWidthPx || inOrganelle;
        const i = y * sizePx + x;
        labels[z * n + i] = isMembrane ? 0 : 255;
        clean[i] = isMembrane ? 45 : shade;
      }
    }
    const blurred = boxBlur(boxBlur(clean, sizePx), sizePx);
    for (let i = 0; i < n; i++) {
      const noisy = (blurred[i] as number) + (random() + random() + random() - 1.5) * 30;
      image[z * n + i] = Math.max(0, Math.min(255, Math.round(noisy)));
    }
  }
  const stack = (data: Uint8Array): ImageStack => ({ width: sizePx, height: sizePx, slices, channels: 1, dtype: 'uint8', data });
  return { image: stack(image), labels: stack(labels) };
}

/** 3x3 box blur with mirrored edges (twice gives a small Gaussian-like blur). */
function boxBlur(values: Float32Array, sizePx: number): Float32Array {
  const out = new Float32Array(values.length);
  const at = (x: number, y: number) => values[Math.abs(y >= sizePx ? 2 * sizePx - 2 - y : y) * sizePx + Math.abs(x >= sizePx ? 2 * sizePx - 2 - x : x)] as number;
  for (let y = 0; y < sizePx; y++) {
    for (let x = 0; x < sizePx; x++) {
      let sum = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) sum += at(x + dx, y + dy);
      out[y * sizePx + x] = sum / 9;
    }
  }
  return out;
}
