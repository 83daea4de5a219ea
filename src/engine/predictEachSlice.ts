import { StudioError } from '../core/errors';
import { separateInstances } from '../core/labels/separateInstances';
import type { OnRows, TiledPredictionOptions } from '../core/predict/predictTiled';
import { quantisedValuesPerPixel, quantiseInto } from '../core/predict/quantiseProbabilities';
import { PeakMemory } from './engineMemory';
import type { StoredSlice } from './normalisedSlices';
import type { EngineEvent } from './protocol';

export type PostEvent = (event: EngineEvent, transfer?: Transferable[]) => void;
type TileCallback = NonNullable<TiledPredictionOptions['onTile']>;
/** Tiles one slice (predictTiledRows), streaming each tile through onTile and the blended map through onRows; the tile side used. */
export type PredictOne = (id: string, slice: StoredSlice, onTile: TileCallback, onRows: OnRows) => Promise<{ tilePx: number }>;

export interface PredictionRun {
  readonly runId: string;
  readonly sliceIds: readonly string[];
  readonly numClasses: number;
  readonly post: PostEvent;
  readonly sliceOf: (id: string) => StoredSlice | undefined;
  /** Whether the user asked to stop (predict/stop): checked after every tile. */
  readonly stopAsked: () => boolean;
}

/** Thrown from a tile callback to end a prediction the user stopped. */
class PredictionStopped extends Error {}

/**
 * The slices in turn, for any model: `predictOne` tiles one (streaming its tiles), then its instances
 * and the slice-done event. A stop request ends it after the tile in flight. The blended map arrives
 * in bands and is kept only quantised (2 bytes a pixel for two classes) with its argmax mask, so a
 * 20000 px slice never holds its 3.2 GB Float32 map.
 */
export async function predictEachSlice(run: PredictionRun, predictOne: PredictOne): Promise<void> {
  const { runId, numClasses, post } = run;
  const memory = new PeakMemory();
  for (const id of run.sliceIds) {
    if (run.stopAsked()) {
      post({ type: 'predict/done', runId, stopped: true });
      return;
    }
    const slice = run.sliceOf(id);
    if (!slice) throw new StudioError('invalid-config', `There is no slice "${id}" in the engine.`);
    const { width, height } = slice.raw;
    const started = performance.now();
    const onTile: TileCallback = async (tile, probabilities, index, total) => {
      post({ type: 'predict/tile', runId, sliceId: id, tile, probabilities, numClasses, index, total }, [probabilities.buffer]);
      // A task boundary, so a stop request (a message) is heard between tiles; then end here if one came
      // (after a slice's last tile it finishes that slice: only the blending is left).
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (run.stopAsked() && index < total - 1) throw new PredictionStopped();
    };
    const k = numClasses;
    const quantised = new Uint16Array(width * height * quantisedValuesPerPixel(k));
    const foreground = new Uint8Array(width * height);
    const onRows: OnRows = (firstRow, rows) => {
      const first = firstRow * width;
      const pixels = rows.length / k;
      quantiseInto(rows, k, 0, pixels, quantised, first);
      // The engine's instances come from the argmax of the blended (unquantised) map.
      for (let p = 0; p < pixels; p++) {
        let best = 0;
        for (let c = 1; c < k; c++) if ((rows[p * k + c] as number) > (rows[p * k + best] as number)) best = c;
        foreground[first + p] = best === 1 ? 1 : 0;
      }
    };
    const predicted = await predictOne(id, slice, onTile, onRows).catch((error: unknown) => {
      if (error instanceof PredictionStopped) return null;
      throw error;
    });
    if (!predicted) {
      post({ type: 'predict/done', runId, stopped: true });
      return;
    }
    const { tilePx } = predicted;
    const instances = separateInstances(foreground, width, height);
    post({
      type: 'predict/slice-done', runId, sliceId: id, width, height, numClasses: k, quantised,
      instances: instances.labels, instanceCount: instances.count, tilePx, elapsedMs: performance.now() - started, memory: memory.sample(),
    }, [quantised.buffer, instances.labels.buffer]);
  }
  post({ type: 'predict/done', runId });
}
