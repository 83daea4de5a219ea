import type { PixelArray } from '../../core/image/imageStack';
import { cropRect } from '../../core/image/pixelRect';
import type { EngineClient } from '../engineClient';
import type { SliceRecord, SliceRegistry } from './sliceRegistry';

export interface SyncOptions {
  /** Arrays up to this size are copied in one go; bigger ones a part per task (a 20000 px slice is 400 MB of pixels). */
  readonly partBytes?: number;
  /** Resolves in a later task (the page's setTimeout; a test may step it). */
  readonly nextTask?: () => Promise<void>;
}

const PART_BYTES = 16 * 2 ** 20;
const laterTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Keeps the engine worker's dataset equal to the page's registry: every replace as dataset/put, every
 * paint change as dataset/labels with just the rectangles it touched. The engine gets copies (the page
 * keeps its arrays for drawing), moved rather than cloned; a big slice's copy is made a part per task
 * (EngineClient.sendPrepared keeps the order of everything sent meanwhile), so posting it never holds the
 * page: cloning 400 MB of pixels took 0.3-1.1 s in one task.
 */
export function syncEngineWithRegistry(registry: SliceRegistry, engine: EngineClient, options: SyncOptions = {}): () => void {
  const partBytes = options.partBytes ?? PART_BYTES;
  const nextTask = options.nextTask ?? laterTask;
  const copyInParts = async <T extends PixelArray>(values: T): Promise<T> => {
    const out = new (values.constructor as new (length: number) => T)(values.length);
    const perPart = Math.max(1, Math.floor(partBytes / values.BYTES_PER_ELEMENT));
    for (let start = 0; start < values.length; start += perPart) {
      out.set(values.subarray(start, start + perPart), start);
      await nextTask();
    }
    return out;
  };
  /** The whole slice: pixels, classes when anything is labelled (else null: for prediction only), instances. */
  const putSlice = (record: SliceRecord, instances: Int32Array | null) => {
    const labelled = registry.isLabelled(record.id);
    const big = record.pixels.byteLength > partBytes || (labelled && record.classes.byteLength > partBytes);
    if (!big) {
      const pixels = record.pixels.slice() as PixelArray;
      const classes = labelled ? record.classes.slice() : null;
      engine.send({ type: 'dataset/put', slice: { ...record, pixels, classes, instances } }, [pixels.buffer, ...(classes ? [classes.buffer] : [])] as Transferable[]);
      return;
    }
    engine.sendPrepared(async () => {
      if (registry.get(record.id) !== record) return null; // replaced meanwhile: its own put follows
      const pixels = await copyInParts(record.pixels);
      const classes = labelled ? await copyInParts(record.classes) : null;
      return { body: { type: 'dataset/put', slice: { ...record, pixels, classes, instances } }, transfer: [pixels.buffer, ...(classes ? [classes.buffer] : [])] as Transferable[] };
    });
  };

  let known = new Set<string>();
  return registry.subscribe((change) => {
    if (change.kind === 'replaced') {
      for (const id of known) if (!change.ids.includes(id)) engine.send({ type: 'dataset/remove', sliceId: id });
      known = new Set(change.ids);
      for (const record of registry.all()) putSlice(record, record.instances ?? null);
      return;
    }
    const record = registry.get(change.id);
    if (!record) return;
    // A stroke: only its rectangles travel (a whole 2048 px slice is 20 MB per stroke); the engine drops the instance map.
    // They are cut in the tasks after the stroke's (in order with everything sent meanwhile): the stroke's own task
    // already stores its tiles, and a sweep across a big slice is dozens of rectangles.
    if (change.kind === 'labels' && change.rects) {
      for (const rect of change.rects) {
        engine.sendPrepared(async () => {
          await nextTask();
          if (registry.get(record.id) !== record) return null; // replaced meanwhile: its own put follows
          const classes = cropRect(record.classes, record.width, rect);
          return { body: { type: 'dataset/labels', sliceId: record.id, rect, classes }, transfer: [classes.buffer] };
        });
      }
      return;
    }
    // Painted labels replace any imported instance map (it no longer matches the classes); a re-read file brings its own.
    putSlice(record, change.kind === 'relabelled' ? record.instances ?? null : null);
  });
}
