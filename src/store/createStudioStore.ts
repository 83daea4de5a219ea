import { createStore } from 'zustand/vanilla';
import type { BackendReport, EngineErrorData } from '../engine/protocol';

/**
 * The studio's one store: plain data the UI renders. Models, pixels and tensors
 * never live here (they stay in the worker and in registries). A factory, so
 * every test gets a fresh store.
 */
export interface EngineSlice {
  engineStatus: 'starting' | 'ready' | 'failed';
  backend: BackendReport | null;
}

export interface SelfTestSlice {
  selfTest: {
    status: 'idle' | 'running' | 'passed' | 'failed';
    parity: { backend: string; relativeError: number } | null;
    losses: number[];
    stepMs: number | null;
    numTensorsLeaked: number | null;
  };
}

export interface ErrorSlice {
  errors: EngineErrorData[];
}

export type StudioState = EngineSlice & SelfTestSlice & ErrorSlice;

export const initialSelfTest: SelfTestSlice['selfTest'] = {
  status: 'idle',
  parity: null,
  losses: [],
  stepMs: null,
  numTensorsLeaked: null,
};

export function createStudioStore() {
  return createStore<StudioState>()(() => ({
    engineStatus: 'starting',
    backend: null,
    selfTest: initialSelfTest,
    errors: [],
  }));
}

export type StudioStore = ReturnType<typeof createStudioStore>;
