import type { ClassCounts } from '../../core/labels/classCounts';
import type { StudioStore } from '../../store/createStudioStore';
import type { SliceSummary } from '../../store/slices/dataSlice';
import { exampleSlices } from './loadExample';
import type { SliceRecord, SliceRegistry } from './sliceRegistry';

export interface DataActions {
  loadExample(): void;
  selectSlice(id: string): void;
  setLabelOpacity(opacity: number): void;
}

export function summariseSlice(record: SliceRecord, registry: SliceRegistry): SliceSummary {
  return {
    id: record.id, name: record.name, width: record.width, height: record.height, channels: record.channels, dtype: record.dtype,
    labelled: registry.isLabelled(record.id),
  };
}

/**
 * Shows a new set of slices: pixels into the registry (and from there the engine), ids and names into the store.
 * `classCounts`: the records' class counts when already known (the import worker's), else they are counted here.
 */
export function showSlices(store: StudioStore, registry: SliceRegistry, records: readonly SliceRecord[], currentSliceId?: string | null, classCounts?: readonly ClassCounts[]): void {
  registry.replaceAll(records, classCounts);
  store.setState((s) => ({
    data: {
      ...s.data,
      slices: records.map((record) => summariseSlice(record, registry)),
      currentSliceId: currentSliceId && records.some((r) => r.id === currentSliceId) ? currentSliceId : records[0]?.id ?? null,
      labelsRevision: s.data.labelsRevision + 1,
      labelsChange: null,
    },
  }));
}

export function createDataActions(store: StudioStore, registry: SliceRegistry): DataActions {
  return {
    loadExample: () => showSlices(store, registry, exampleSlices()),
    selectSlice: (id) => store.setState((s) => ({ data: { ...s.data, currentSliceId: id } })),
    setLabelOpacity: (opacity) => store.setState((s) => ({ view: { ...s.view, labelOpacity: Math.max(0, Math.min(1, opacity)) } })),
  };
}
