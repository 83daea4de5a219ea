import { UNLABELLED } from '../../core/labels/classMap';
import type { EngineClient } from '../engineClient';
import type { SliceRecord, SliceRegistry } from './sliceRegistry';

/** Classes as the engine wants them: null when nothing is annotated (the slice is for prediction only). */
function engineClasses(record: SliceRecord): Int32Array | null {
  return record.classes.some((k) => k !== UNLABELLED) ? record.classes.slice() : null;
}

/**
 * Keeps the engine worker's dataset equal to the page's registry: every replace and every label
 * change is sent as dataset/put (copied, not transferred: the page keeps its pixels for drawing).
 */
export function syncEngineWithRegistry(registry: SliceRegistry, engine: EngineClient): () => void {
  let known = new Set<string>();
  return registry.subscribe((change) => {
    if (change.kind === 'replaced') {
      for (const id of known) if (!change.ids.includes(id)) engine.send({ type: 'dataset/remove', sliceId: id });
      known = new Set(change.ids);
      for (const record of registry.all()) {
        engine.send({ type: 'dataset/put', slice: { ...record, classes: engineClasses(record), instances: record.instances ?? null } });
      }
      return;
    }
    const record = registry.get(change.id);
    // Painted labels replace any imported instance map (it no longer matches the classes); a re-read file brings its own.
    const instances = change.kind === 'relabelled' ? record?.instances ?? null : null;
    if (record) engine.send({ type: 'dataset/put', slice: { ...record, classes: engineClasses(record), instances } });
  });
}
