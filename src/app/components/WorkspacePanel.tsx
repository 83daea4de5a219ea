import { useStudioState } from '../StudioContext';
import { LayerControls } from './LayerControls';
import { PaintToolbar } from './PaintToolbar';
import { SliceView } from './SliceView';

/** The canvas with its tools: look, paint, correct. */
export function WorkspacePanel() {
  const hasSlice = useStudioState((s) => s.data.currentSliceId !== null);
  return (
    <section aria-labelledby="workspace-title" className="panel workspace">
      <h2 id="workspace-title">Label</h2>
      {hasSlice ? (
        <>
          <PaintToolbar />
          <SliceView />
          <LayerControls />
        </>
      ) : <p className="hint">Drop images (and labels, if you have them) or load the example to start.</p>}
    </section>
  );
}
