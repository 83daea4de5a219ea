import type { PixelArray, PixelDType } from '../../core/image/imageStack';
import type { PixelRect } from '../../core/image/pixelRect';
import { UNLABELLED } from '../../core/labels/classMap';

/** One slice's pixels and labels, kept out of the store (heavy data; the store holds ids and revisions). */
export interface SliceRecord {
  readonly id: string;
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly dtype: PixelDType;
  readonly pixels: PixelArray;
  /** Classes per pixel, UNLABELLED (-1) where not annotated; painted in place. */
  readonly classes: Int32Array;
  /** Instance ids when the labels came as an instance map (kept for weight maps); null otherwise. */
  readonly instances?: Int32Array | null;
}

export type RegistryChange =
  | { readonly kind: 'replaced'; readonly ids: readonly string[] }
  /** `rect`: the pixels that changed; null when any may have. */
  | { readonly kind: 'labels'; readonly id: string; readonly rect: PixelRect | null }
  /** New label arrays for a slice (its label file read another way): painting history no longer applies. */
  | { readonly kind: 'relabelled'; readonly id: string };

/** The page-side registry of slices, in load order. Listeners hear of every change (autosave, engine sync). */
export class SliceRegistry {
  private readonly records = new Map<string, SliceRecord>();
  private readonly listeners = new Set<(change: RegistryChange) => void>();

  /** Replaces everything with `records` (a new import, the example, a restored project). */
  replaceAll(records: readonly SliceRecord[]): void {
    this.records.clear();
    for (const record of records) this.records.set(record.id, record);
    this.emit({ kind: 'replaced', ids: records.map((r) => r.id) });
  }

  get(id: string): SliceRecord | undefined {
    return this.records.get(id);
  }

  all(): SliceRecord[] {
    return [...this.records.values()];
  }

  ids(): string[] {
    return [...this.records.keys()];
  }

  /** The highest class any slice's labels use (UNLABELLED when none has labels). */
  largestClass(): number {
    let largest = UNLABELLED;
    for (const record of this.records.values()) for (const k of record.classes) if (k > largest) largest = k;
    return largest;
  }

  /**
   * Call after changing a record's `classes` in place (painting, accepting a prediction), with the
   * rectangle that changed when known. Painted labels supersede an imported instance map, so it is
   * dropped (the engine and the saved project drop it too).
   */
  labelsChanged(id: string, rect: PixelRect | null = null): void {
    const record = this.records.get(id);
    if (record?.instances) this.records.set(id, { ...record, instances: null });
    this.emit({ kind: 'labels', id, rect });
  }

  /** Gives a slice new labels (and instance ids, or null), replacing its arrays. */
  relabel(id: string, classes: Int32Array, instances: Int32Array | null): void {
    const record = this.records.get(id);
    if (!record || classes.length !== record.width * record.height) return;
    this.records.set(id, { ...record, classes, instances });
    this.emit({ kind: 'relabelled', id });
  }

  subscribe(listener: (change: RegistryChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(change: RegistryChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
