import { describe, expect, it } from 'vitest';
import { UNLABELLED } from '../labels/classMap';
import { mulberry32 } from '../random/mulberry32';
import { LabelEditor } from './LabelEditor';
import { STROKE_BLOCK_PX } from './StrokeRecorder';

/** The stroke as the editor first painted it: a disc test per pixel, a Map of first-touched values. */
function referenceStroke(classes: Int32Array, width: number, height: number, points: { x: number; y: number }[], value: number, r: number) {
  const touched = new Map<number, number>();
  const stamp = (cx: number, cy: number) => {
    for (let y = Math.max(0, Math.ceil(cy - r)); y <= Math.min(height - 1, Math.floor(cy + r)); y++) {
      for (let x = Math.max(0, Math.ceil(cx - r)); x <= Math.min(width - 1, Math.floor(cx + r)); x++) {
        if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) continue;
        const i = y * width + x;
        if (!touched.has(i)) touched.set(i, classes[i] as number);
        classes[i] = value;
      }
    }
  };
  stamp(points[0]!.x, points[0]!.y);
  for (let p = 1; p < points.length; p++) {
    const last = points[p - 1]!;
    const point = points[p]!;
    const steps = Math.max(1, Math.ceil(Math.hypot(point.x - last.x, point.y - last.y) / Math.max(r / 2, 0.5)));
    for (let s = 1; s <= steps; s++) stamp(last.x + ((point.x - last.x) * s) / steps, last.y + ((point.y - last.y) * s) / steps);
  }
  const changed = [...touched].filter(([, before]) => before !== value).sort((a, b) => a[0] - b[0]);
  return { indices: changed.map(([i]) => i), before: changed.map(([, b]) => b) };
}

describe('StrokeRecorder (through LabelEditor)', () => {
  it('paints and records exactly the pixels of a per-pixel disc test, across blocks and image edges, on 40 random strokes', () => {
    const random = mulberry32(7);
    const width = 3 * STROKE_BLOCK_PX + 17;
    const height = 2 * STROKE_BLOCK_PX + 9;
    for (let trial = 0; trial < 40; trial++) {
      const start = Int32Array.from({ length: width * height }, () => (random() < 0.5 ? UNLABELLED : Math.floor(random() * 3)));
      const points = Array.from({ length: 2 + Math.floor(random() * 4) }, () => ({ x: random() * (width + 20) - 10, y: random() * (height + 20) - 10 }));
      const r = [0.5, 1, 2.5, 7, 13.3][trial % 5]!;
      const value = trial % 4 === 3 ? UNLABELLED : trial % 3;
      const expected = start.slice();
      const reference = referenceStroke(expected, width, height, points, value, r);

      const editor = new LabelEditor(start.slice(), width, height);
      editor.beginStroke(points[0]!, value, r);
      for (const p of points.slice(1)) editor.extendStroke(p);
      const changed = editor.endStroke();
      expect(Array.from(editor.classes)).toEqual(Array.from(expected));
      expect(changed).toBe(reference.indices.length > 0);
      if (!changed) continue;
      const change = editor.lastChange!;
      const order = Array.from(change.indices.keys()).sort((a, b) => change.indices[a]! - change.indices[b]!);
      expect(order.map((k) => change.indices[k])).toEqual(reference.indices);
      expect(order.map((k) => change.before[k])).toEqual(reference.before);
      expect(change.after.every((v) => v === value)).toBe(true);
      editor.undo();
      expect(Array.from(editor.classes)).toEqual(Array.from(start));
    }
  });
});
