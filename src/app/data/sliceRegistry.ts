import type { PixelArray, PixelDType } from '../../core/image/imageStack';
import type { PixelRect } from '../../core/image/pixelRect';
import type { ClassCounts } from '../../core/labels/classCounts';
import { countClasses, countsAfterChange, isLabelled, largestClassOf } from '../../core/labels/classCounts';
import { UNLABELLED } from '../../core/labels/classMap';
import type { LabelChange } from '../../core/paint/LabelEditor';

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
  /** `rects`: rectangles holding every pixel that changed (one per label tile a stroke crossed); null when any may have. */
  | { readonly kind: 'labels'; readonly id: string; readonly rects: readonly PixelRect[] | null }
  /** New label arrays for a slice (its label file read another way): painting history no longer applies. */
  | { readonly kind: 'relabelled'; readonly id: string };

/** The page-side registry of slices, in load order. Listeners hear of every change (autosave, engine sync). */
export class SliceRegistry {
  private readonly records = new Map<string, SliceRecord>();
  /** Per slice, pixels per class: counted once when known to be stale, then kept current by each edit. */
  private readonly counts = new Map<string, ClassCounts>();
  private readonly listeners = new Set<(change: RegistryChange) => void>();

  /**
   * Replaces everything with `records` (a new import, the example, a restored project). `counts`, when
   * given, are each record's class counts (the import worker's), so nothing here reads the pixels.
   */
  replaceAll(records: readonly SliceRecord[], counts?: readonly ClassCounts[]): void {
    this.records.clear();
    this.counts.clear();
    records.forEach((record, i) => {
      this.records.set(record.id, record);
      const known = counts?.[i];
      if (known) this.counts.set(record.id, known);
    });
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
    for (const id of this.records.keys()) largest = Math.max(largest, largestClassOf(this.classCounts(id)));
    return largest;
  }

  /** Whether any pixel of slice `id` is annotated (false for an unknown slice). */
  isLabelled(id: string): boolean {
    return this.records.has(id) && isLabelled(this.classCounts(id));
  }

  /** Slice `id`'s pixels per class, counted on first use after its labels were replaced. */
  classCounts(id: string): ClassCounts {
    let counts = this.counts.get(id);
    const record = this.records.get(id);
    if (!counts && record) this.counts.set(id, (counts = countClasses(record.classes)));
    return counts ?? { unlabelled: 0, perClass: [] };
  }

  /**
   * Call after changing a record's `classes` in place (painting, accepting a prediction), with
   * rectangles holding what changed and the change itself when known (the class counts follow it; without
   * it they are counted again when next needed). Painted labels supersede an imported instance map, so it
   * is dropped (the engine and the saved project drop it too).
   */
  labelsChanged(id: string, rects: readonly PixelRect[] | null = null, change: LabelChange | null = null): void {
    const record = this.records.get(id);
    if (record?.instances) this.records.set(id, { ...record, instances: null });
    const counts = this.counts.get(id);
    if (counts && change) this.counts.set(id, countsAfterChange(counts, change.before, change.after));
    else this.counts.delete(id);
    this.emit({ kind: 'labels', id, rects });
  }

  /** Gives a slice new labels (and instance ids, or null), replacing its arrays. */
  relabel(id: string, classes: Int32Array, instances: Int32Array | null): void {
    const record = this.records.get(id);
    if (!record || classes.length !== record.width * record.height) return;
    this.records.set(id, { ...record, classes, instances });
    this.counts.delete(id);
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
