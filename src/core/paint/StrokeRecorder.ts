import type { LabelChange } from './LabelEditor';

/** Never a class value (classes are >= -1): marks a pixel the stroke has not touched yet. */
const UNTOUCHED = -0x80000000;

/** Side of the square blocks the recorder keeps; a divisor of the 256 px label tiles, so a block never straddles one. */
export const STROKE_BLOCK_PX = 64;
const STROKE_BLOCK_SHIFT = 6;

/**
 * What one brush stroke overwrote: each touched pixel's value from before the stroke, kept in small
 * typed blocks along the stroke's path instead of a Map entry per pixel. A sweep across a zoomed-out
 * 20000 px slice touches ~10^5 pixels; a Map of them made the pointer-up task alone ~80 ms.
 */
export class StrokeRecorder {
  /** Per block: each slot's value before the stroke (UNTOUCHED until reached), and the slots in the order reached. */
  private readonly blocks = new Map<number, { readonly before: Int32Array; readonly slots: Uint16Array; reached: number }>();
  private readonly columns: number;
  private reached = 0;

  constructor(private readonly classes: Int32Array, private readonly width: number) {
    this.columns = Math.ceil(width / STROKE_BLOCK_PX);
  }

  /** Sets pixels x0..x1 (inclusive) of row y to `value`, keeping each one's previous value the first time the stroke reaches it. */
  paintRow(y: number, x0: number, x1: number, value: number): void {
    const { classes, width } = this;
    const blockRow = Math.floor(y / STROKE_BLOCK_PX) * this.columns;
    const rowInBlock = (y % STROKE_BLOCK_PX) * STROKE_BLOCK_PX;
    let x = x0;
    while (x <= x1) {
      const column = Math.floor(x / STROKE_BLOCK_PX);
      const end = Math.min(x1, (column + 1) * STROKE_BLOCK_PX - 1);
      const block = this.block(blockRow + column);
      const { before, slots } = block;
      const base = column * STROKE_BLOCK_PX;
      for (; x <= end; x++) {
        const i = y * width + x;
        const slot = rowInBlock + x - base;
        if (before[slot] === UNTOUCHED) {
          before[slot] = classes[i] as number;
          slots[block.reached++] = slot;
          this.reached++;
        }
        classes[i] = value;
      }
    }
  }

  /** The stroke as one edit: the pixels whose value differs from `value` before it, block by block; null when none. */
  changeTo(value: number): LabelChange | null {
    const indices = new Int32Array(this.reached);
    const previous = new Int32Array(this.reached);
    let count = 0;
    for (const [id, { before, slots, reached }] of this.blocks) {
      const x0 = (id % this.columns) * STROKE_BLOCK_PX;
      const y0 = Math.floor(id / this.columns) * STROKE_BLOCK_PX;
      for (let k = 0; k < reached; k++) {
        const slot = slots[k] as number;
        const v = before[slot] as number;
        if (v === value) continue;
        indices[count] = (y0 + (slot >> STROKE_BLOCK_SHIFT)) * this.width + x0 + (slot & (STROKE_BLOCK_PX - 1));
        previous[count++] = v;
      }
    }
    if (count === 0) return null;
    return { indices: indices.slice(0, count), before: previous.slice(0, count), after: new Int32Array(count).fill(value) };
  }

  private block(id: number) {
    let block = this.blocks.get(id);
    if (!block) {
      block = { before: new Int32Array(STROKE_BLOCK_PX * STROKE_BLOCK_PX).fill(UNTOUCHED), slots: new Uint16Array(STROKE_BLOCK_PX * STROKE_BLOCK_PX), reached: 0 };
      this.blocks.set(id, block);
    }
    return block;
  }
}
