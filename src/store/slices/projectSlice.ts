/** The model as the page knows it (the weights stay in the worker) and the autosave state. */
export interface ProjectSlice {
  model: {
    available: boolean;
    source: 'trained' | 'imported' | 'restored' | 'third-party' | null;
    /** One line, e.g. "fast preset, 120 steps, tile 256 px". */
    description: string | null;
    /** Levels a UNet++ with deep supervision can be pruned to at prediction (1..depth); 0 or absent for any other model. */
    pruneLevels?: number;
    /** Bumps whenever the weights change (a training run, an import, weights restored after a lost GPU): predictions made before are stale. */
    revision: number;
    /** A third-party bioimage.io model (source 'third-party'): predict only, why, and what the studio assumed. */
    thirdParty?: {
      readonly name: string;
      /** Why training is refused, and what to do (predictOnlyReason). */
      readonly predictOnlyReason: string;
      readonly assumptions: readonly string[];
      /** Its test output as the studio reproduced it at import; null: the package has no test tensors. */
      readonly testMaxAbsDifference: number | null;
    };
  };
  project: {
    persistence: 'restoring' | 'idle' | 'saving' | 'saved' | 'unavailable' | 'failed';
    lastSavedAt: string | null;
    message: string | null;
    /** Whether the browser keeps the saved project under storage pressure (navigator.storage.persist); null: not known yet. */
    storagePersisted: boolean | null;
    /** What an import of a project file restored, shown once after the reload into it; null: nothing to say. */
    notice: string | null;
  };
}

export const initialModel: ProjectSlice['model'] = { available: false, source: null, description: null, pruneLevels: 0, revision: 0 };
export const initialProject: ProjectSlice['project'] = { persistence: 'restoring', lastSavedAt: null, message: null, storagePersisted: null, notice: null };
