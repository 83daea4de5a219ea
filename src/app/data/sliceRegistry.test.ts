import { describe, expect, it } from 'vitest';
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
    registry.labelsChanged('a', { x: 0, y: 0, width: 1, height: 1 });
    expect(changes.at(-1)).toEqual({ kind: 'labels', id: 'a', rect: { x: 0, y: 0, width: 1, height: 1 } });
    expect(registry.get('a')?.instances).toBeNull(); // no longer matches the classes
    expect(registry.get('a')?.classes).toBe(classes); // the same buffer: painting goes on in place
    registry.labelsChanged('a');
    expect(changes.at(-1)).toEqual({ kind: 'labels', id: 'a', rect: null });
    expect(registry.largestClass()).toBe(1);
    classes.fill(-1);
    expect(registry.largestClass()).toBe(-1);
  });
});
