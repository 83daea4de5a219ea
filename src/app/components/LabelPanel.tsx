import { useStudioActions, useStudioState } from '../StudioContext';
import { ClassEditor } from './ClassEditor';
import { LayerControls } from './LayerControls';

/**
 * The Label step: what the canvas shows (layers, opacity, contrast) and how to paint. The tools and
 * classes themselves sit in the tool bar beside the canvas, always at hand.
 */
export function LabelPanel() {
  const hasSlice = useStudioState((s) => s.data.currentSliceId !== null);
  const { setView } = useStudioActions();
  return (
    <section aria-labelledby="label-title" className="panel">
      <h2 id="label-title">Label</h2>
      <p className="hint">
        Paint with the tools at the left of the image; sparse strokes are enough to train. Wheel to zoom, drag with Pan
        (or hold Space) to move. Keys: <button type="button" className="link-button" onClick={() => setView({ shortcutSheetOpen: true })}>shortcuts (?)</button>
      </p>
      {hasSlice ? <LayerControls /> : <p className="hint">Drop images (and labels, if you have them) or load the example in Data to start.</p>}
      <ClassEditor />
    </section>
  );
}
