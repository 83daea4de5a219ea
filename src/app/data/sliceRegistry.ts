import type { PixelArray, PixelDType } from '../../core/image/imageStack';

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
}

/** The page-side registry of slices, in load order. */
export class SliceRegistry {
  private readonly records = new Map<string, SliceRecord>();

  add(record: SliceRecord): void {
    this.records.set(record.id, record);
  }

  get(id: string): SliceRecord | undefined {
    return this.records.get(id);
  }

  clear(): void {
    this.records.clear();
  }

  ids(): string[] {
    return [...this.records.keys()];
  }
}
