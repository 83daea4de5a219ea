import { replacingLabelsQuestion } from '../data/replacingLabels';
import { useStudioActions, useStudioState } from '../StudioContext';
import { DropZone } from './DropZone';

/** Getting data in: drop files or folders, or load the generated example (the slice strip below the canvas picks a slice). */
export function DataPanel() {
  const slices = useStudioState((s) => s.data.slices);
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
      {slices.length > 0 ? <p className="hint">The slices are in the strip below the image; , and . (or PageUp and PageDown) step through them.</p> : null}
    </section>
  );
}
