import { StudioError } from '../core/errors';
import { separateInstances } from '../core/labels/separateInstances';
import type { TiledPredictionOptions } from '../core/predict/predictTiled';
import type { Raster } from '../core/sampling/raster';
import { PeakMemory } from './engineMemory';
import type { StoredSlice } from './normalisedSlices';
import type { EngineEvent } from './protocol';

export type PostEvent = (event: EngineEvent, transfer?: Transferable[]) => void;
type TileCallback = NonNullable<TiledPredictionOptions['onTile']>;
/** Tiles one slice, streaming each tile through onTile; its class probabilities and the tile side used. */
export type PredictOne = (id: string, slice: StoredSlice, onTile: TileCallback) => Promise<{ result: Raster<Float32Array>; tilePx: number }>;

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
 * and the slice-done event. A stop request ends it after the tile in flight.
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
    const predicted = await predictOne(id, slice, onTile).catch((error: unknown) => {
      if (error instanceof PredictionStopped) return null;
      throw error;
    });
    if (!predicted) {
      post({ type: 'predict/done', runId, stopped: true });
      return;
    }
    const { result, tilePx } = predicted;
    const foreground = new Uint8Array(width * height);
    const k = numClasses;
    for (let i = 0; i < foreground.length; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if ((result.data[i * k + c] as number) > (result.data[i * k + best] as number)) best = c;
      foreground[i] = best === 1 ? 1 : 0;
    }
    const instances = separateInstances(foreground, width, height);
    post({
      type: 'predict/slice-done', runId, sliceId: id, width, height, numClasses: k, probabilities: result.data,
      instances: instances.labels, instanceCount: instances.count, tilePx, elapsedMs: performance.now() - started, memory: memory.sample(),
    }, [result.data.buffer, instances.labels.buffer]);
  }
  post({ type: 'predict/done', runId });
}
