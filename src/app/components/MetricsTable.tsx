import type { SliceMetrics } from '../../store/slices/predictionSlice';
import { useMemo } from 'react';
import { useStudioState } from '../StudioContext';
import { staleSliceIds } from '../predict/stalePredictions';
import { revealDirectionControls } from '../../core/text/isolate';
import { formatStackMetrics } from '../predict/formatStackMetrics';

const score = (v: number, pending: boolean) => (pending ? '…' : Number.isFinite(v) ? v.toFixed(3) : '–');

type Scores = Omit<SliceMetrics, 'sliceId' | 'name' | 'scoring'>;

function ScoreCells({ scores, scoring }: { scores: Scores; scoring: boolean }) {
  return (
    <>
      <td>{score(scores.iou, false)}</td>
      <td>{score(scores.dice, false)}</td>
      <td>{score(scores.pixelError, scoring)}</td>
      <td>{score(scores.adaptedRandError, scoring)}</td>
      <td>{score(scores.vRand, scoring)}</td>
      <td>{score(scores.vInfo, scoring)}</td>
    </>
  );
}

const TITLES = {
  iou: 'Foreground IoU (intersection over union of class 1) at the threshold set above: moves with the slider. Higher is better.',
  dice: 'Foreground Dice (2|A∩B| / (|A| + |B|)) at the threshold set above: moves with the slider. Higher is better.',
  pixelError: 'Pixel error: 1 − the best pixel F-score over the challenge\'s 11 thresholds. Lower is better.',
  adaptedRandError: 'skimage\'s adapted Rand error (skimage.metrics.adapted_rand_error) of the 4-connected cells at its best threshold: ' +
    'pairs counted n(n−1), the predicted border one segment. Not the challenge\'s foreground-restricted Rand error (Fiji; the line below the table). Lower is better.',
  vRand: 'V_Rand (ISBI 2012, Fiji, thinned): the foreground-restricted Rand F-score after Fiji\'s watershed thins the predicted borders; ' +
    'true cells unthinned, each border pixel its own segment. This slice at its best threshold. Higher is better.',
  vInfo: 'V_Info (ISBI 2012, Fiji, thinned): the information-theoretic F-score after the same thinning. This slice at its best threshold. Higher is better.',
};

/**
 * Scores of predicted slices that have labels: foreground IoU and Dice at the threshold, the pixel
 * error, skimage's adapted Rand error and the ISBI leaderboard's V_Rand and V_Info (Fiji's), each
 * slice at its own best threshold; below, the scored slices as the challenge scores a stack.
 */
export function MetricsTable() {
  const metrics = useStudioState((s) => s.metrics);
  const revisionOf = useStudioState((s) => s.prediction.modelRevisionOf);
  const modelRevision = useStudioState((s) => s.model.revision);
  const stale = useMemo(() => staleSliceIds(revisionOf, modelRevision), [revisionOf, modelRevision]);
  const heldOut = useStudioState((s) => s.training.validationSliceIds);
  if (metrics.rows.length === 0) return null;
  const anyScoring = metrics.rows.some((r) => r.scoring);
  return (
    // Focusable, so keyboard users can scroll the wide table sideways (axe: scrollable-region-focusable).
    <div className="metrics-scroll" tabIndex={0} role="group" aria-label="Metrics table, scrolls sideways">
      <table className="metrics" aria-label="Metrics" data-scoring={anyScoring}>
        <caption>Against the labels (slices used for training score optimistically; those marked validation were held out). Errors: lower is better; V_Rand, V_Info: higher. Hover a heading for its scale.</caption>
        <thead>
          <tr>
            <th scope="col">Slice</th><th scope="col" title={TITLES.iou}>IoU</th><th scope="col" title={TITLES.dice}>Dice</th>
            <th scope="col" title={TITLES.pixelError}>Pixel err.</th>
            <th scope="col" title={TITLES.adaptedRandError}>Rand err. (skimage)</th>
            <th scope="col" title={TITLES.vRand}>V_Rand</th>
            <th scope="col" title={TITLES.vInfo}>V_Info</th>
          </tr>
        </thead>
        <tbody>
          {metrics.rows.map((r) => (
            <tr key={r.sliceId} data-scoring={r.scoring} data-stale={stale.includes(r.sliceId)}>
              <th scope="row" data-validation={heldOut.includes(r.sliceId)}>
                <span className="metrics-name" title={revealDirectionControls(r.name)}><bdi>{revealDirectionControls(r.name)}</bdi></span>
                {heldOut.includes(r.sliceId) ? <span className="metrics-validation" title="Held out for validation in the last training run: its scores are honest"> (validation)</span> : null}
                {stale.includes(r.sliceId) ? <span className="metrics-stale" title="Predicted by an earlier model: predict again to score the current one"> (earlier model)</span> : null}</th>
              <ScoreCells scores={r} scoring={r.scoring} />
            </tr>
          ))}
        </tbody>
        {metrics.overall && metrics.rows.length > 1 ? (
          <tfoot>
            <tr><th scope="row" title="The mean of the rows, each slice at its own best threshold">Mean</th><ScoreCells scores={metrics.overall} scoring={anyScoring} /></tr>
          </tfoot>
        ) : null}
      </table>
      {metrics.stack ? <p className="metrics-stack" aria-label="Stack scores">{formatStackMetrics(metrics.stack)}</p> : null}
    </div>
  );
}
