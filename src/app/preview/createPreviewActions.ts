import type { StudioStore } from '../../store/createStudioStore';
import type { PreviewSlice } from '../../store/slices/previewSlice';

export interface PreviewActions {
  setElastic(patch: Partial<PreviewSlice['preview']['elastic']>): void;
  newElasticSample(): void;
  setPreviewOpen(open: boolean): void;
}

// STUB (helper: previews) — replaced by the real implementation.
export function createPreviewActions(_store: StudioStore): PreviewActions {
  const todo = () => { throw new Error('preview actions: not implemented yet'); };
  return { setElastic: todo, newElasticSample: todo, setPreviewOpen: todo };
}
