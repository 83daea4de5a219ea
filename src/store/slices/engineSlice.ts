import type { BackendReport, EngineErrorData } from '../../engine/protocol';

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

export const initialSelfTest: SelfTestSlice['selfTest'] = { status: 'idle', parity: null, losses: [], stepMs: null, numTensorsLeaked: null };
