import { cropRect } from '../../core/image/pixelRect';
import type { EngineClient } from '../engineClient';
import type { SliceRecord, SliceRegistry } from './sliceRegistry';

/** Classes as the engine wants them: null when nothing is annotated (the slice is for prediction only). */
function engineClasses(registry: SliceRegistry, record: SliceRecord): Int32Array | null {
  return registry.isLabelled(record.id) ? record.classes.slice() : null;
}

/**
 * Keeps the engine worker's dataset equal to the page's registry: every replace as dataset/put
 * (copied, not transferred: the page keeps its pixels for drawing), every paint change as
 * dataset/labels with just the rectangle it touched.
 */
export function syncEngineWithRegistry(registry: SliceRegistry, engine: EngineClient): () => void {
  let known = new Set<string>();
  return registry.subscribe((change) => {
    if (change.kind === 'replaced') {
      for (const id of known) if (!change.ids.includes(id)) engine.send({ type: 'dataset/remove', sliceId: id });
      known = new Set(change.ids);
      for (const record of registry.all()) {
        engine.send({ type: 'dataset/put', slice: { ...record, classes: engineClasses(registry, record), instances: record.instances ?? null } });
      }
      return;
    }
    const record = registry.get(change.id);
    if (!record) return;
    // A stroke: only its rectangles travel (a whole 2048 px slice is 20 MB per stroke); the engine drops the instance map.
    if (change.kind === 'labels' && change.rects) {
      for (const rect of change.rects) engine.send({ type: 'dataset/labels', sliceId: record.id, rect, classes: cropRect(record.classes, record.width, rect) });
      return;
    }
    // Painted labels replace any imported instance map (it no longer matches the classes); a re-read file brings its own.
    const instances = change.kind === 'relabelled' ? record.instances ?? null : null;
    engine.send({ type: 'dataset/put', slice: { ...record, classes: engineClasses(registry, record), instances } });
  });
}

