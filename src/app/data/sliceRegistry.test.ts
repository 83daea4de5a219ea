import { describe, expect, it } from 'vitest';
import { countClasses } from '../../core/labels/classCounts';
import { LabelEditor } from '../../core/paint/LabelEditor';
import type { RegistryChange } from './sliceRegistry';
import { SliceRegistry } from './sliceRegistry';

describe('SliceRegistry', () => {
  it('announces label changes with the rectangle that changed, and painting drops an imported instance map', () => {
    const registry = new SliceRegistry();
    const changes: RegistryChange[] = [];
    registry.subscribe((change) => changes.push(change));
    const classes = Int32Array.of(0, 1, 1, 0);
    registry.replaceAll([{ id: 'a', name: 'a.tif', width: 2, height: 2, channels: 1, dtype: 'uint8', pixels: new Uint8Array(4), classes, instances: Int32Array.of(0, 1, 2, 0) }]);
    classes[0] = 1;
    registry.labelsChanged('a', [{ x: 0, y: 0, width: 1, height: 1 }]);
    expect(changes.at(-1)).toEqual({ kind: 'labels', id: 'a', rects: [{ x: 0, y: 0, width: 1, height: 1 }] });
    expect(registry.get('a')?.instances).toBeNull(); // no longer matches the classes
    expect(registry.get('a')?.classes).toBe(classes); // the same buffer: painting goes on in place
    registry.labelsChanged('a');
    expect(changes.at(-1)).toEqual({ kind: 'labels', id: 'a', rects: null });
    expect(registry.largestClass()).toBe(1);
    classes.fill(-1);
    registry.labelsChanged('a'); // a change of unknown extent: counted again
    expect(registry.largestClass()).toBe(-1);
    expect(registry.isLabelled('a')).toBe(false);
  });

  it('keeps each slice\'s class counts current through edits, undo and redo without reading the pixels again', () => {
    const registry = new SliceRegistry();
    const classes = new Int32Array(40 * 30).fill(-1);
    classes[5] = 2;
    registry.replaceAll([{ id: 'a', name: 'a.tif', width: 40, height: 30, channels: 1, dtype: 'uint8', pixels: new Uint8Array(1200), classes }],
      [countClasses(classes)]);
    const editor = new LabelEditor(classes, 40, 30);
    const commit = () => registry.labelsChanged('a', null, editor.lastChange);
    editor.beginStroke({ x: 10, y: 10 }, 4, 3);
    editor.extendStroke({ x: 30, y: 20 });
    editor.endStroke();
    commit();
    expect(registry.classCounts('a')).toEqual(countClasses(classes));
    expect(registry.largestClass()).toBe(4);
    editor.undo();
    commit();
    expect(registry.classCounts('a')).toEqual(countClasses(classes));
    expect(registry.largestClass()).toBe(2);
    editor.redo();
    commit();
    editor.floodFill({ x: 0, y: 29 }, 1);
    commit();
    expect(registry.classCounts('a')).toEqual(countClasses(classes));
    expect(registry.isLabelled('a')).toBe(true);
    // Counts come from the registry's cache: pixels changed behind its back are not seen until it is told.
    classes.fill(-1);
    expect(registry.isLabelled('a')).toBe(true);
    registry.relabel('a', classes, null);
    expect(registry.isLabelled('a')).toBe(false);
  });
});
