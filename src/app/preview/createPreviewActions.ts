import type { StudioStore } from '../../store/createStudioStore';
import type { PreviewSlice } from '../../store/slices/previewSlice';
import { clampElasticControls } from './elasticPreview';

export interface PreviewActions {
  /**
   * Changes the elastic preview's controls. Out-of-range values are clamped (grid points 2..10,
   * sigma 0..40 px), non-numbers refused; returns one message per value clamped or refused, for
   * the panel to show (empty when the patch was taken as given).
   */
  setElastic(patch: Partial<PreviewSlice['preview']['elastic']>): readonly string[];
  /** Draws a new random deformation (the next seed) with the same parameters. */
  newElasticSample(): void;
}

export function createPreviewActions(store: StudioStore): PreviewActions {
  const setPreview = (patch: Partial<PreviewSlice['preview']>) => store.setState((s) => ({ preview: { ...s.preview, ...patch } }));
  return {
    setElastic(patch) {
      const { next, messages } = clampElasticControls(store.getState().preview.elastic, patch);
      const current = store.getState().preview.elastic;
      if (next.gridSize !== current.gridSize || next.sigmaPx !== current.sigmaPx || next.seed !== current.seed) setPreview({ elastic: next });
      return messages;
    },
    newElasticSample() {
      const { elastic } = store.getState().preview;
      // Consecutive seeds give unrelated draws (mulberry32), and a seed shown to the user can be reproduced.
      setPreview({ elastic: { ...elastic, seed: (elastic.seed + 1) >>> 0 } });
    },
  };
}
