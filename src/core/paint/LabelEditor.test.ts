import { describe, expect, it } from 'vitest';
import { UNLABELLED } from '../labels/classMap';
import { LabelEditor } from './LabelEditor';

const blank = (w: number, h: number) => new Int32Array(w * h).fill(UNLABELLED);
const count = (a: Int32Array, v: number) => a.filter((x) => x === v).length;

describe('LabelEditor', () => {
  it('paints a round brush along a fast stroke without gaps, and undoes/redoes it as one step', () => {
    const editor = new LabelEditor(blank(40, 20), 40, 20);
    editor.beginStroke({ x: 5, y: 10 }, 1, 2);
    editor.extendStroke({ x: 35, y: 10 }); // one big jump
    expect(editor.endStroke()).toBe(true);
    for (let x = 5; x <= 35; x++) expect(editor.classes[10 * 40 + x]).toBe(1);
    expect(editor.classes[10 * 40 + 38]).toBe(UNLABELLED);
    const painted = count(editor.classes, 1);
    expect(painted).toBeGreaterThan(31 * 3);
    expect(editor.undo()).toBe(true);
    expect(count(editor.classes, 1)).toBe(0);
    expect(editor.redo()).toBe(true);
    expect(count(editor.classes, 1)).toBe(painted);
  });

  it('erases to unlabelled and restores the exact previous classes on undo', () => {
    const classes = Int32Array.from({ length: 100 }, (_, i) => i % 3);
    const before = classes.slice();
    const editor = new LabelEditor(classes, 10, 10);
    editor.beginStroke({ x: 5, y: 5 }, UNLABELLED, 3);
    editor.endStroke();
    expect(count(editor.classes, UNLABELLED)).toBeGreaterThan(20);
    editor.undo();
    expect(Array.from(editor.classes)).toEqual(Array.from(before));
  });

  it('flood-fills a 4-connected region bounded by other classes', () => {
    // A vertical wall of class 0 at x = 3 splits the unlabelled area.
    const classes = blank(8, 4);
    for (let y = 0; y < 4; y++) classes[y * 8 + 3] = 0;
    const editor = new LabelEditor(classes, 8, 4);
    expect(editor.floodFill({ x: 1, y: 1 }, 1)).toBe(true);
    expect(count(editor.classes, 1)).toBe(12);
    expect(editor.classes[5]).toBe(UNLABELLED);
    expect(editor.floodFill({ x: 1, y: 1 }, 1)).toBe(false); // already that class
    editor.undo();
    expect(count(editor.classes, 1)).toBe(0);
  });

  it('accepts a whole prediction as one undo step; a new edit clears redo', () => {
    const editor = new LabelEditor(blank(4, 1), 4, 1);
    editor.replaceAll(Int32Array.of(0, 1, 1, 0));
    expect(Array.from(editor.classes)).toEqual([0, 1, 1, 0]);
    editor.undo();
    expect(editor.canRedo).toBe(true);
    editor.beginStroke({ x: 0, y: 0 }, 2, 0.5);
    editor.endStroke();
    expect(editor.canRedo).toBe(false);
  });
});
