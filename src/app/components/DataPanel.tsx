import { replacingLabelsQuestion } from '../data/replacingLabels';
import { useStudioActions, useStudioState } from '../StudioContext';
import { DropZone } from './DropZone';
import { SliceNavigator } from './SliceNavigator';
import { revealDirectionControls } from '../../core/text/isolate';

/** Getting data in: drop files or folders, or load the generated example; then pick a slice. */
export function DataPanel() {
  const slices = useStudioState((s) => s.data.slices);
  const current = useStudioState((s) => s.data.slices.find((x) => x.id === s.data.currentSliceId));
  const { loadExample } = useStudioActions();

  return (
    <section aria-labelledby="data-title" className="panel">
      <h2 id="data-title">Data</h2>
      <div className="row">
        <DropZone />
        <div>
          <button type="button" onClick={() => {
            const question = replacingLabelsQuestion(slices);
            if (!question || window.confirm(question)) loadExample();
          }}>Load example</button>
          <p className="hint">An EM-like stack generated in this page: touching cells, dark membranes, noise.</p>
        </div>
      </div>
      {current ? (
        <>
          <p role="status" aria-label="Data summary">
            {slices.length} slices, {slices.filter((s) => s.labelled).length} labelled. Showing <bdi>{revealDirectionControls(current.name)}</bdi> ({current.width}x{current.height} px{current.dtype !== 'uint8' ? `, ${current.dtype}` : ''}).
          </p>
          <SliceNavigator />
        </>
      ) : null}
    </section>
  );
}
