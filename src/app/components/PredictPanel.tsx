import { useMemo } from 'react';
import { useStudioActions, useStudioState } from '../StudioContext';
import { staleSliceIds } from '../predict/stalePredictions';
import { EngineMemoryNote } from './EngineMemoryNote';
import { MetricsTable } from './MetricsTable';
import { PruneLevelField } from './PruneLevelField';
import { predictionProgress } from '../predict/predictionProgress';

/** Tiled prediction of the current slice or the whole stack; the overlay fills in on the canvas tile by tile. Then correct: accept it as labels. */
export function PredictPanel() {
  const prediction = useStudioState((s) => s.prediction);
  const modelReady = useStudioState((s) => s.model.available);
  const training = useStudioState((s) => s.training.status === 'running');
  const hasSlices = useStudioState((s) => s.data.slices.length > 0);
  const currentId = useStudioState((s) => s.data.currentSliceId);
  const hasPrediction = useStudioState((s) => !!s.data.currentSliceId && s.prediction.predictedSliceIds.includes(s.data.currentSliceId));
  const { predict, stopPrediction, setThreshold, setTestTimeAugmentation, acceptPrediction } = useStudioActions();
  const revisionOf = useStudioState((s) => s.prediction.modelRevisionOf);
  const modelRevision = useStudioState((s) => s.model.revision);
  const stale = useMemo(() => staleSliceIds(revisionOf, modelRevision), [revisionOf, modelRevision]);
  const progress = predictionProgress(prediction);
  const running = prediction.status === 'running';
  const disabled = !modelReady || training || running || !hasSlices;
  const instances = currentId ? prediction.instanceCounts[currentId] : undefined;

  return (
    <section aria-labelledby="predict-title" className="panel">
      <h2 id="predict-title">Predict</h2>
      {!modelReady ? <p className="hint">Train a model or import a model.json first.</p> : null}
      {training ? <p className="hint">Pause or stop training to predict.</p> : null}
      {stale.length > 0 ? (
        <p className="predict-stale" role="note" aria-label="Stale predictions" data-stale-count={stale.length}>
          {stale.length === 1 ? '1 slice shows' : `${stale.length} slices show`} a prediction from an earlier model (marked in the table): predict again to see the current one.
        </p>
      ) : null}
      <div className="row">
        <button type="button" onClick={() => predict('slice')} disabled={disabled}>Predict this slice</button>
        <button type="button" onClick={() => predict('stack')} disabled={disabled}>Predict all slices</button>
        {running ? <button type="button" className="secondary" onClick={stopPrediction}>Stop prediction</button> : null}
      </div>
      <PruneLevelField />
      <label className="row">
        <input type="checkbox" checked={prediction.testTimeAugmentation} onChange={(e) => setTestTimeAugmentation(e.target.checked)} />
        Test-time augmentation (mean of 8 flips and rotations; 8× slower)
      </label>
      <label className="row">
        Threshold
        <input type="range" min={0.05} max={0.95} step={0.05} value={prediction.threshold} aria-label="Threshold" onChange={(e) => setThreshold(Number(e.target.value))} />
        <span>{prediction.threshold.toFixed(2)}</span>
      </label>
      <div className="progress-row">
        <progress max={progress.max} value={progress.value} aria-label="Prediction progress" />
        <span role="status" aria-label="Prediction status" data-status={prediction.status}>{progress.text}</span>
      </div>
      <EngineMemoryNote memory={prediction.memory} />
      {instances !== undefined ? <p aria-label="Objects found">{instances.toLocaleString('en')} objects on this slice (touching ones split by a distance-transform watershed).</p> : null}
      <div className="row">
        <button type="button" className="secondary" onClick={acceptPrediction} disabled={!hasPrediction}
          title="Replace this slice's labels with the prediction, then correct it (undoable)">Accept prediction as labels</button>
      </div>
      <MetricsTable />
    </section>
  );
}
