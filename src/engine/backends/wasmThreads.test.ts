import { describe, expect, it, vi } from 'vitest';

const setThreadsCount = vi.fn();
vi.mock('@tensorflow/tfjs-backend-wasm', () => ({ setThreadsCount }));
const { useAllCoresForWasm } = await import('./wasmThreads');

describe('useAllCoresForWasm', () => {
  it('asks for every logical core, up to tfjs\'s 8 thread workers, and doubles what tfjs\'s halving reads', () => {
    const two = { navigator: { hardwareConcurrency: 2 } };
    expect(useAllCoresForWasm(two)).toBe(2);
    expect(setThreadsCount).toHaveBeenLastCalledWith(2);
    expect(two.navigator.hardwareConcurrency).toBe(4); // tfjs's C++ caps at hardwareConcurrency / 2 = 2
    const many = { navigator: { hardwareConcurrency: 32 } };
    expect(useAllCoresForWasm(many)).toBe(8);
    expect(setThreadsCount).toHaveBeenLastCalledWith(8);
    expect(useAllCoresForWasm({ navigator: { hardwareConcurrency: 0 } })).toBe(1);
  });
});
