import type { SliceMetrics } from '../../store/slices/predictionSlice';
import { useStudioState } from '../StudioContext';
import { revealDirectionControls } from '../../core/text/isolate';

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

/**
 * Scores of predicted slices that have labels: foreground IoU and Dice at the threshold, the EM
 * challenge's pixel and Rand errors, and the leaderboard's V_Rand and V_Info (borders thinned to 1 px).
 */
export function MetricsTable() {
  const metrics = useStudioState((s) => s.metrics);
  if (metrics.rows.length === 0) return null;
  const anyScoring = metrics.rows.some((r) => r.scoring);
  return (
    <div className="metrics-scroll">
      <table className="metrics" aria-label="Metrics" data-scoring={anyScoring}>
        <caption>Against the labels (slices used for training score optimistically). Errors: lower is better; V_Rand, V_Info: higher.</caption>
        <thead>
          <tr>
            <th scope="col">Slice</th><th scope="col">IoU</th><th scope="col">Dice</th><th scope="col">Pixel err.</th><th scope="col">Rand err.</th>
            <th scope="col" title="Foreground-restricted Rand F-score after thinning borders to 1 px (ISBI 2012 leaderboard)">V_Rand</th>
            <th scope="col" title="Information-theoretic F-score after thinning borders to 1 px (ISBI 2012 leaderboard)">V_Info</th>
          </tr>
        </thead>
        <tbody>
          {metrics.rows.map((r) => (
            <tr key={r.sliceId} data-scoring={r.scoring}><th scope="row"><bdi>{revealDirectionControls(r.name)}</bdi></th><ScoreCells scores={r} scoring={r.scoring} /></tr>
          ))}
        </tbody>
        {metrics.overall && metrics.rows.length > 1 ? (
          <tfoot>
            <tr><th scope="row">Mean</th><ScoreCells scores={metrics.overall} scoring={anyScoring} /></tr>
          </tfoot>
        ) : null}
      </table>
    </div>
  );
}
