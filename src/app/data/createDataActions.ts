import { UNLABELLED } from '../../core/labels/classMap';
import type { StudioStore } from '../../store/createStudioStore';
import type { EngineClient } from '../engineClient';
import { exampleSlices } from './loadExample';
import type { SliceRecord, SliceRegistry } from './sliceRegistry';

export interface DataActions {
  loadExample(): void;
  selectSlice(id: string): void;
  setLabelOpacity(opacity: number): void;
}

/** Loading data: pixels into the registry and the engine, ids and names into the store. */
export function createDataActions(store: StudioStore, registry: SliceRegistry, engine: EngineClient): DataActions {
  const load = (records: SliceRecord[]) => {
    registry.clear();
    for (const record of records) {
      registry.add(record);
      // Copied, not transferred: the page keeps its pixels for drawing and painting.
      engine.send({
        type: 'dataset/put',
        slice: { ...record, classes: record.classes.some((k) => k !== UNLABELLED) ? record.classes.slice() : null, instances: null },
      });
    }
    store.setState((s) => ({
      data: {
        ...s.data,
        slices: records.map((r) => ({ id: r.id, name: r.name, width: r.width, height: r.height, channels: r.channels, dtype: r.dtype, labelled: r.classes.some((k) => k !== UNLABELLED) })),
        currentSliceId: records[0]?.id ?? null,
        labelsRevision: s.data.labelsRevision + 1,
      },
    }));
  };
  return {
    loadExample: () => load(exampleSlices()),
    selectSlice: (id) => store.setState((s) => ({ data: { ...s.data, currentSliceId: id } })),
    setLabelOpacity: (opacity) => store.setState((s) => ({ view: { ...s.view, labelOpacity: Math.max(0, Math.min(1, opacity)) } })),
  };
}
