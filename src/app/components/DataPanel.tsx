import { useStudioActions, useStudioState } from '../StudioContext';
import { SliceView } from './SliceView';

/** Loading data and browsing slices. Drop zone and file pairing come next (issue 5). */
export function DataPanel() {
  const slices = useStudioState((s) => s.data.slices);
  const currentId = useStudioState((s) => s.data.currentSliceId);
  const opacity = useStudioState((s) => s.view.labelOpacity);
  const { loadExample, selectSlice, setLabelOpacity } = useStudioActions();
  const index = slices.findIndex((s) => s.id === currentId);
  const current = slices[index];

  return (
    <section aria-labelledby="data-title" className="panel">
      <h2 id="data-title">Data</h2>
      <button type="button" onClick={loadExample}>Load example</button>
      {current ? (
        <>
          <p role="status" aria-label="Data summary">
            {slices.length} slices, {slices.filter((s) => s.labelled).length} labelled. Showing {current.name} ({current.width}x{current.height} px).
          </p>
          <div className="slice-controls">
            <label>
              Slice
              <input type="range" min={1} max={slices.length} value={index + 1} aria-label="Slice"
                onChange={(e) => { const next = slices[Number(e.target.value) - 1]; if (next) selectSlice(next.id); }} />
            </label>
            <label>
              Label opacity
              <input type="range" min={0} max={1} step={0.05} value={opacity} aria-label="Label opacity" onChange={(e) => setLabelOpacity(Number(e.target.value))} />
            </label>
          </div>
          <SliceView />
        </>
      ) : null}
    </section>
  );
}
