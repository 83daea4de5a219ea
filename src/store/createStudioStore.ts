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

/** Training as the UI shows it; the model itself stays in the worker. */
export interface TrainingSlice {
  training: {
    status: 'idle' | 'running' | 'paused' | 'done' | 'failed';
    step: number;
    totalSteps: number;
    losses: { step: number; loss: number }[];
    validation: { step: number; loss: number; foregroundIoU: number }[];
    tilesPerSecond: number | null;
    etaSeconds: number | null;
    splitDescription: string | null;
    notices: string[];
    bestStep: number | null;
  };
}

/** Prediction progress; probabilities go to the overlay registry, not here. */
export interface PredictionSlice {
  prediction: { status: 'idle' | 'running' | 'done' | 'failed'; tilesDone: number; tilesTotal: number; revision: number };
}

/** What is loaded, by id; pixels and labels live in the page's SliceRegistry. */
export interface DataSlice {
  data: {
    slices: { id: string; name: string; width: number; height: number; labelled: boolean }[];
    currentSliceId: string | null;
    /** Bumps whenever label pixels change, so views redraw. */
    labelsRevision: number;
  };
  view: { labelOpacity: number };
}

export type StudioState = EngineSlice & SelfTestSlice & ErrorSlice & TrainingSlice & PredictionSlice & DataSlice;

export const initialTraining: TrainingSlice['training'] = {
  status: 'idle', step: 0, totalSteps: 0, losses: [], validation: [], tilesPerSecond: null, etaSeconds: null, splitDescription: null, notices: [], bestStep: null,
};

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
    training: initialTraining,
    prediction: { status: 'idle', tilesDone: 0, tilesTotal: 0, revision: 0 },
    data: { slices: [], currentSliceId: null, labelsRevision: 0 },
    view: { labelOpacity: 0.4 },
  }));
}

export type StudioStore = ReturnType<typeof createStudioStore>;
