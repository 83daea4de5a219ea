import type { Tile } from '../../core/predict/planTiles';

/** One slice's prediction as it fills in: softmax probabilities (h x w x k) and, once done, instances. */
export interface SlicePrediction {
  readonly width: number;
  readonly height: number;
  readonly numClasses: number;
  readonly probabilities: Float32Array;
  /** 1 where a tile's output has arrived (the overlay fills in tile by tile). */
  readonly covered: Uint8Array;
  instances: Int32Array | null;
  instanceCount: number;
  done: boolean;
}

/** The class shown and exported for pixel i: class 1 above `threshold` for two-class models, else the argmax. */
export function predictedClassAt(p: SlicePrediction, i: number, threshold: number): number {
  const k = p.numClasses;
  if (k === 2) return (p.probabilities[i * 2 + 1] as number) > threshold ? 1 : 0;
  let best = 0;
  for (let c = 1; c < k; c++) if ((p.probabilities[i * k + c] as number) > (p.probabilities[i * k + best] as number)) best = c;
  return best;
}

/** Predictions by slice id, kept out of the store (heavy data; the store holds a revision). */
export class PredictionRegistry {
  private readonly predictions = new Map<string, SlicePrediction>();
  private readonly restoreListeners = new Set<(sliceId: string) => void>();

  get(sliceId: string): SlicePrediction | undefined {
    return this.predictions.get(sliceId);
  }

  ids(): string[] {
    return [...this.predictions.keys()];
  }

  /** Copies one streamed tile into the slice's map, starting the map on its first tile. */
  writeTile(sliceId: string, width: number, height: number, numClasses: number, tile: Tile, probabilities: Float32Array): void {
    let prediction = this.predictions.get(sliceId);
    if (!prediction || prediction.done || prediction.width !== width || prediction.height !== height || prediction.numClasses !== numClasses) {
      prediction = {
        width, height, numClasses,
        probabilities: new Float32Array(width * height * numClasses),
        covered: new Uint8Array(width * height),
        instances: null, instanceCount: 0, done: false,
      };
      this.predictions.set(sliceId, prediction);
    }
    for (let y = 0; y < tile.outHeight; y++) {
      const row = (tile.outY + y) * width + tile.outX;
      prediction.probabilities.set(probabilities.subarray(y * tile.outWidth * numClasses, (y + 1) * tile.outWidth * numClasses), row * numClasses);
      prediction.covered.fill(1, row, row + tile.outWidth);
    }
  }

  /** The final (blended) map replaces the streamed tiles. */
  finish(sliceId: string, width: number, height: number, numClasses: number, probabilities: Float32Array, instances: Int32Array, instanceCount: number): void {
    this.predictions.set(sliceId, { width, height, numClasses, probabilities, covered: new Uint8Array(width * height).fill(1), instances, instanceCount, done: true });
  }

  /** Argmax class per pixel, with `threshold` on class 1's probability for two-class models. */
  classesOf(sliceId: string, threshold = 0.5): Int32Array | null {
    const p = this.predictions.get(sliceId);
    if (!p) return null;
    const out = new Int32Array(p.width * p.height);
    for (let i = 0; i < out.length; i++) out[i] = predictedClassAt(p, i, threshold);
    return out;
  }

  /** Class 1's probability per pixel (the foreground map the EM metrics and exports use). */
  foregroundOf(sliceId: string): Float32Array | null {
    const p = this.predictions.get(sliceId);
    if (!p) return null;
    const out = new Float32Array(p.width * p.height);
    for (let i = 0; i < out.length; i++) out[i] = p.probabilities[i * p.numClasses + 1] as number;
    return out;
  }

  /** A finished prediction read back from the saved project; listeners (scoring) hear of it. */
  restore(sliceId: string, prediction: SlicePrediction): void {
    this.predictions.set(sliceId, prediction);
    this.restoreListeners.forEach((listener) => listener(sliceId));
  }

  onRestore(listener: (sliceId: string) => void): () => void {
    this.restoreListeners.add(listener);
    return () => this.restoreListeners.delete(listener);
  }

  remove(sliceId: string): void {
    this.predictions.delete(sliceId);
  }

  clear(): void {
    this.predictions.clear();
  }
}
