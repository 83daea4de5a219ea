import { quantisedValuesPerPixel } from '../../core/predict/quantiseProbabilities';
import type { SlicePrediction } from '../predict/predictionRegistry';
import type { ChunkWrite, PredictionChunkStore } from './projectSchema';
import { stripCount, stripRowsFor } from './sliceChunks';

/**
 * How a finished prediction is stored: its quantised probabilities (numClasses - 1 Uint16 values a
 * pixel, core/predict/quantiseProbabilities, as the page keeps them) in row strips of at most 4 MiB, and the instance map in strips of Uint16 (Int32 past 65535 objects).
 */
export type StoredInstanceStrip = Uint16Array | Int32Array;

export interface PredictionHeader {
  readonly sliceId: string;
  readonly width: number;
  readonly height: number;
  readonly numClasses: number;
  /** Rows per strip of quantised probabilities (Uint16). */
  readonly stripRows: number;
  readonly instanceStripRows: number;
  /** 2 (Uint16) or 4 (Int32) bytes an instance id. */
  readonly instanceBytes: 2 | 4;
  readonly instanceCount: number;
  /** Which model made it (the saved model's modelKey when it was that model); a restore compares the two. */
  readonly modelKey: string;
}

/** The header and chunk writes of a finished prediction (each chunk cut only when its turn comes). */
export function planPrediction(sliceId: string, prediction: SlicePrediction, modelKey: string): { header: PredictionHeader; chunks: ChunkWrite<PredictionChunkStore>[] } {
  const { width, height, numClasses, quantised, instanceCount } = prediction;
  const instances = prediction.instances ?? new Int32Array(width * height);
  const valuesPerPixel = quantisedValuesPerPixel(numClasses);
  const stripRows = stripRowsFor(width * valuesPerPixel, 2);
  const instanceBytes = instanceCount <= 0xffff ? 2 : 4;
  const instanceStripRows = stripRowsFor(width, instanceBytes);
  const chunks: ChunkWrite<PredictionChunkStore>[] = [];
  for (let i = 0; i < stripCount(height, stripRows); i++) {
    const first = i * stripRows * width;
    const pixels = Math.min(height - i * stripRows, stripRows) * width;
    chunks.push({ store: 'predictionStrips', key: [sliceId, i], bytes: pixels * valuesPerPixel * 2, value: () => quantised.slice(first * valuesPerPixel, (first + pixels) * valuesPerPixel) });
  }
  for (let i = 0; i < stripCount(height, instanceStripRows); i++) {
    const first = i * instanceStripRows * width;
    const end = Math.min(instances.length, first + instanceStripRows * width);
    chunks.push({
      store: 'predictionInstanceStrips', key: [sliceId, i], bytes: (end - first) * instanceBytes,
      value: () => (instanceBytes === 2 ? new Uint16Array(instances.subarray(first, end)) : instances.slice(first, end)),
    });
  }
  const header: PredictionHeader = { sliceId, width, height, numClasses, stripRows, instanceStripRows, instanceBytes, instanceCount, modelKey };
  return { header, chunks };
}
