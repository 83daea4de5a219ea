/** What the studio made of a third-party bioimage.io model: predict only, its test output check, and each assumption. */
export function ThirdPartyModelNote({ testMaxAbsDifference, assumptions }: { readonly testMaxAbsDifference: number | null; readonly assumptions: readonly string[] }) {
  return (
    <div className="hint model-panel-third-party" role="note" aria-label="Third-party model">
      <p>
        Predict only: exports and training need a studio model.{' '}
        {testMaxAbsDifference !== null ? `Its own test output was reproduced here (largest difference ${testMaxAbsDifference.toExponential(1)}).` : null}
      </p>
      <ul>
        {assumptions.map((assumption, index) => <li key={index}>{assumption}</li>)}
      </ul>
    </div>
  );
}
