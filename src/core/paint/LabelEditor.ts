import type { PixelRect } from '../image/pixelRect';
import { boundsOfIndices } from '../image/pixelRect';
import { StrokeRecorder } from './StrokeRecorder';

/** A point in image pixel coordinates (not screen coordinates). */
export interface ImagePoint {
  readonly x: number;
  readonly y: number;
}

/** One edit: pixel `indices[k]` went from `before[k]` to `after[k]`. */
export interface LabelChange {
  readonly indices: Int32Array;
  readonly before: Int32Array;
  readonly after: Int32Array;
}

const MAX_HISTORY = 200;

/**
 * Edits one slice's class map in place: brush strokes (discs stamped along each segment), the
 * eraser (paints UNLABELLED), flood fill, and undo/redo. DOM-free, driven by image points, so
 * it is unit-tested without a canvas. Each stroke or fill is one undo step that stores only the
 * pixels it changed.
 */
export class LabelEditor {
  private readonly undoStack: LabelChange[] = [];
  private readonly redoStack: LabelChange[] = [];
  private stroke: { value: number; radiusPx: number; last: ImagePoint; recorder: StrokeRecorder } | null = null;
  private changedBounds: PixelRect | null = null;
  private applied: LabelChange | null = null;

  constructor(readonly classes: Int32Array, readonly width: number, readonly height: number) {}

  /** Starts a stroke of `value` (a class, or UNLABELLED for the eraser) with a round brush. */
  beginStroke(point: ImagePoint, value: number, radiusPx: number): void {
    this.stroke = { value, radiusPx, last: point, recorder: new StrokeRecorder(this.classes, this.width) };
    this.stamp(point);
  }

  /** Extends the stroke to `point`, filling the gap so fast pointer moves leave no holes. */
  extendStroke(point: ImagePoint): void {
    if (!this.stroke) return;
    const { last, radiusPx } = this.stroke;
    const distance = Math.hypot(point.x - last.x, point.y - last.y);
    const steps = Math.max(1, Math.ceil(distance / Math.max(radiusPx / 2, 0.5)));
    for (let s = 1; s <= steps; s++) this.stamp({ x: last.x + ((point.x - last.x) * s) / steps, y: last.y + ((point.y - last.y) * s) / steps });
    this.stroke.last = point;
  }

  /** Ends the stroke; returns whether it changed any pixel. */
  endStroke(): boolean {
    if (!this.stroke) return false;
    const change = this.stroke.recorder.changeTo(this.stroke.value);
    this.stroke = null;
    if (!change) return false;
    this.record(change, false);
    return true;
  }

  /** Fills the 4-connected region of equal class around `point` with `value`; one undo step. */
  floodFill(point: ImagePoint, value: number): boolean {
    const start = this.indexOf(point);
    if (start < 0) return false;
    const target = this.classes[start] as number;
    if (target === value) return false;
    const changed: number[] = [];
    const stack = [start];
    this.classes[start] = value;
    while (stack.length > 0) {
      const i = stack.pop() as number;
      changed.push(i);
      const x = i % this.width;
      const neighbours = [x > 0 ? i - 1 : -1, x < this.width - 1 ? i + 1 : -1, i - this.width, i + this.width];
      for (const n of neighbours) {
        if (n >= 0 && n < this.classes.length && this.classes[n] === target) {
          this.classes[n] = value;
          stack.push(n);
        }
      }
    }
    const indices = Int32Array.from(changed);
    this.record({ indices, before: new Int32Array(indices.length).fill(target), after: new Int32Array(indices.length).fill(value) }, false);
    return true;
  }

  /** Replaces every pixel (e.g. "accept prediction as labels"); one undo step. */
  replaceAll(values: Int32Array): void {
    const changed: number[] = [];
    for (let i = 0; i < values.length; i++) if (values[i] !== this.classes[i]) changed.push(i);
    const indices = Int32Array.from(changed);
    const change = { indices, before: Int32Array.from(indices, (i) => this.classes[i] as number), after: Int32Array.from(indices, (i) => values[i] as number) };
    this.record(change);
  }

  /** The pixels the last edit, undo or redo changed (what autosave must write again); null before any. */
  get lastChangeBounds(): PixelRect | null { return this.changedBounds; }

  /** The last edit, undo or redo as applied (an undo's `after` is the edit's `before`); null before any. */
  get lastChange(): LabelChange | null { return this.applied; }

  get canUndo(): boolean { return this.undoStack.length > 0; }
  get canRedo(): boolean { return this.redoStack.length > 0; }

  undo(): boolean {
    const change = this.undoStack.pop();
    if (!change) return false;
    change.indices.forEach((i, k) => { this.classes[i] = change.before[k] as number; });
    this.changedBounds = boundsOfIndices(change.indices, this.width);
    this.applied = { indices: change.indices, before: change.after, after: change.before };
    this.redoStack.push(change);
    return true;
  }

  redo(): boolean {
    const change = this.redoStack.pop();
    if (!change) return false;
    change.indices.forEach((i, k) => { this.classes[i] = change.after[k] as number; });
    this.changedBounds = boundsOfIndices(change.indices, this.width);
    this.applied = change;
    this.undoStack.push(change);
    return true;
  }

  private stamp(centre: ImagePoint): void {
    const stroke = this.stroke as NonNullable<typeof this.stroke>;
    const r = stroke.radiusPx;
    const outside = (x: number, dy2: number) => (x - centre.x) ** 2 + dy2 > r * r;
    for (let y = Math.max(0, Math.ceil(centre.y - r)); y <= Math.min(this.height - 1, Math.floor(centre.y + r)); y++) {
      // A disc's row is one run: narrow the bounding box's row to it by the same test a pixel at a time.
      const dy2 = (y - centre.y) ** 2;
      let x0 = Math.max(0, Math.ceil(centre.x - r));
      let x1 = Math.min(this.width - 1, Math.floor(centre.x + r));
      while (x0 <= x1 && outside(x0, dy2)) x0++;
      while (x1 >= x0 && outside(x1, dy2)) x1--;
      if (x0 <= x1) stroke.recorder.paintRow(y, x0, x1, stroke.value);
    }
  }

  private indexOf(point: ImagePoint): number {
    const x = Math.floor(point.x);
    const y = Math.floor(point.y);
    return x < 0 || y < 0 || x >= this.width || y >= this.height ? -1 : y * this.width + x;
  }

  /** Keeps a change for undo; `apply` writes it first when the caller has not already. */
  private record(change: LabelChange, apply = true): void {
    if (apply) change.indices.forEach((i, k) => { this.classes[i] = change.after[k] as number; });
    this.changedBounds = boundsOfIndices(change.indices, this.width);
    this.applied = change;
    this.undoStack.push(change);
    if (this.undoStack.length > MAX_HISTORY) this.undoStack.shift();
    this.redoStack.length = 0;
  }
}
