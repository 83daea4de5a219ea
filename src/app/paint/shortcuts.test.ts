import { describe, expect, it } from 'vitest';
import { UNLABELLED } from '../../core/labels/classMap';
import { shortcutFor } from './shortcuts';

const press = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }> = {}) =>
  ({ key, ctrlKey: false, metaKey: false, shiftKey: false, ...mods });

describe('paint shortcuts', () => {
  it('maps napari-like keys to tools', () => {
    expect(shortcutFor(press('p'), 2)).toEqual({ kind: 'tool', tool: 'brush' });
    expect(shortcutFor(press('E'), 2)).toEqual({ kind: 'tool', tool: 'eraser' });
    expect(shortcutFor(press('f'), 2)).toEqual({ kind: 'tool', tool: 'fill' });
    expect(shortcutFor(press('z'), 2)).toEqual({ kind: 'tool', tool: 'pan' });
  });

  it('picks only classes that exist, and "unlabelled"', () => {
    expect(shortcutFor(press('1'), 2)).toEqual({ kind: 'class', classValue: 1 });
    expect(shortcutFor(press('2'), 2)).toBeNull();
    expect(shortcutFor(press('u'), 2)).toEqual({ kind: 'class', classValue: UNLABELLED });
  });

  it('undo and redo with Ctrl or Cmd; other Ctrl combinations stay the browser\'s', () => {
    expect(shortcutFor(press('z', { ctrlKey: true }), 2)).toEqual({ kind: 'undo' });
    expect(shortcutFor(press('Z', { metaKey: true, shiftKey: true }), 2)).toEqual({ kind: 'redo' });
    expect(shortcutFor(press('y', { ctrlKey: true }), 2)).toEqual({ kind: 'redo' });
    expect(shortcutFor(press('p', { ctrlKey: true }), 2)).toBeNull();
  });

  it('moves between slices with , . and PageUp / PageDown', () => {
    expect(shortcutFor(press(','), 2)).toEqual({ kind: 'slice', delta: -1 });
    expect(shortcutFor(press('.'), 2)).toEqual({ kind: 'slice', delta: 1 });
    expect(shortcutFor(press('PageUp'), 2)).toEqual({ kind: 'slice', delta: -1 });
    expect(shortcutFor(press('PageDown'), 2)).toEqual({ kind: 'slice', delta: 1 });
    expect(shortcutFor(press('PageDown', { ctrlKey: true }), 2)).toBeNull(); // the browser's next tab
  });
});
