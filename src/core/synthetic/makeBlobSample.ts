import { mulberry32 } from '../random/mulberry32';

/** A one-channel image with its class map: bright discs (class 1) on a dark noisy background (class 0). */
export interface BlobSample {
  readonly sizePx: number;
  /** sizePx * sizePx, roughly zero-mean unit-variance. */
  readonly image: Float32Array;
  /** sizePx * sizePx class indices. */
  readonly labels: Int32Array;
}

/**
 * Generates a tiny, trivially learnable segmentation task for engine self-tests
 * (a fresh network's loss must fall within a few steps on it).
 */
export function makeBlobSample(sizePx: number, seed: number, blobCount = 4): BlobSample {
  const random = mulberry32(seed);
  const image = new Float32Array(sizePx * sizePx);
  const labels = new Int32Array(sizePx * sizePx);
  const blobs = Array.from({ length: blobCount }, () => ({
    x: random() * sizePx,
    y: random() * sizePx,
    r: sizePx * (0.08 + 0.1 * random()),
  }));
  for (let y = 0; y < sizePx; y++) {
    for (let x = 0; x < sizePx; x++) {
      const inside = blobs.some((b) => (x - b.x) ** 2 + (y - b.y) ** 2 <= b.r ** 2);
      const i = y * sizePx + x;
      labels[i] = inside ? 1 : 0;
      image[i] = (inside ? 1 : -1) + 0.3 * (random() * 2 - 1);
    }
  }
  return { sizePx, image, labels };
}
