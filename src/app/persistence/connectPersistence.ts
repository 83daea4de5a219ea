import type { StudioStore } from '../../store/createStudioStore';
import type { SliceRegistry } from '../data/sliceRegistry';
import type { EngineClient } from '../engineClient';

export interface ProjectActions {
  /** Clears the saved project and the page (the UI asks for confirmation first). */
  newProject(): Promise<void>;
}

// STUB (helper: persistence) — replaced by the real implementation.
export function connectPersistence(store: StudioStore, _slices: SliceRegistry, _engine: EngineClient): ProjectActions {
  store.setState((s) => ({ project: { ...s.project, persistence: 'idle' } }));
  return { newProject: async () => { throw new Error('newProject: not implemented yet'); } };
}
