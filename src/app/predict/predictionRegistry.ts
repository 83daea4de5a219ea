import type { Tile } from '../../core/predict/planTiles';
import { PROBABILITY_LEVELS, quantisedArgmaxAt, quantisedProbabilityAt, quantisedValuesPerPixel, quantiseInto } from '../../core/predict/quantiseProbabilities';

/**
 * One slice's prediction as it fills in: softmax probabilities and, once done, instances. The
 * probabilities are kept quantised (core/predict/quantiseProbabilities: numClasses - 1 Uint16
 * values a pixel, as they are saved), so a 20000 px slice's two-class map takes 0.8 GB, not 3.2.
 */
export interface SlicePrediction {
  readonly width: number;
  readonly height: number;
  readonly numClasses: number;
  /** (h x w x (numClasses - 1)) quantised probabilities of classes 1..numClasses-1. */
  readonly quantised: Uint16Array;
  /** 1 where a tile's output has arrived (the overlay fills in tile by tile); null once every pixel has. */
  readonly covered: Uint8Array | null;
  instances: Int32Array | null;
  instanceCount: number;
  done: boolean;
}

/** Whether pixel i has a prediction yet. */
export const isCovered = (p: SlicePrediction, i: number): boolean => p.covered === null || p.covered[i] !== 0;

/** Class c's probability at pixel i. */
export const probabilityAt = (p: SlicePrediction, i: number, c: number): number => quantisedProbabilityAt(p.quantised, p.numClasses, i, c);

/** The class shown and exported for pixel i: class 1 above `threshold` for two-class models, else the argmax. */
export function predictedClassAt(p: SlicePrediction, i: number, threshold: number): number {
  if (p.numClasses === 2) return (p.quantised[i] as number) / PROBABILITY_LEVELS > threshold ? 1 : 0;
  return quantisedArgmaxAt(p.quantised, p.numClasses, i);
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
        quantised: new Uint16Array(width * height * quantisedValuesPerPixel(numClasses)),
        covered: new Uint8Array(width * height),
        instances: null, instanceCount: 0, done: false,
      };
      this.predictions.set(sliceId, prediction);
    }
    for (let y = 0; y < tile.outHeight; y++) {
      const row = (tile.outY + y) * width + tile.outX;
      quantiseInto(probabilities, numClasses, y * tile.outWidth, tile.outWidth, prediction.quantised, row);
      prediction.covered?.fill(1, row, row + tile.outWidth);
    }
  }

  /** The final (blended, quantised) map replaces the streamed tiles. */
  finish(sliceId: string, width: number, height: number, numClasses: number, quantised: Uint16Array, instances: Int32Array, instanceCount: number): void {
    this.predictions.set(sliceId, { width, height, numClasses, quantised, covered: null, instances, instanceCount, done: true });
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
    const stored = p.numClasses - 1;
    for (let i = 0; i < out.length; i++) out[i] = (p.quantised[i * stored] as number) / PROBABILITY_LEVELS;
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
