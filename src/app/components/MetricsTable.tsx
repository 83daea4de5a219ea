import type { MeanMetrics, SliceMetrics } from '../../store/slices/predictionSlice';
import { useId, useMemo } from 'react';
import { useStudioState } from '../StudioContext';
import { staleSliceIds } from '../predict/stalePredictions';
import { MAX_SCORED_PIXELS, tooLargeToScore } from '../predict/scoreSlice';
import { revealDirectionControls } from '../../core/text/isolate';
import { formatStackMetrics } from '../predict/formatStackMetrics';
import { METRIC_TITLES, MEAN_TITLE } from '../predict/metricTitles';
import { ThresholdSweepChart } from './ThresholdSweepChart';

/** "…" while the sweep runs; "n/a" where a score is undefined (an empty field's Rand error); "–" where scoring failed. */
const score = (v: number, pending: boolean, undefinedText = '–') => (pending ? '…' : Number.isFinite(v) ? v.toFixed(3) : undefinedText);

type Scores = Pick<SliceMetrics, 'iou' | 'dice' | 'pixelError' | 'adaptedRandError' | 'vRand' | 'vInfo'>;

function ScoreCells({ scores, scoring, empty = false }: { scores: Scores; scoring: boolean; empty?: boolean }) {
  const undefinedText = empty ? 'n/a' : '–';
  return (
    <>
      <td>{score(scores.iou, false)}</td>
      <td>{score(scores.dice, false)}</td>
      <td>{score(scores.pixelError, scoring)}</td>
      <td title={empty ? METRIC_TITLES.randUndefined : undefined}>{score(scores.adaptedRandError, scoring, undefinedText)}</td>
      <td>{score(scores.vRand, scoring, undefinedText)}</td>
      <td>{score(scores.vInfo, scoring, undefinedText)}</td>
    </>
  );
}

function SliceRow({ row, stale, heldOut, threshold }: { row: SliceMetrics; stale: boolean; heldOut: boolean; threshold: number }) {
  const name = revealDirectionControls(row.name);
  return (
    <tr data-scoring={row.scoring} data-stale={stale} data-objects={row.hasObjects}>
      <th scope="row" data-validation={heldOut}>
        <span className="metrics-name" title={name}><bdi>{name}</bdi></span>
        {heldOut ? <span className="metrics-validation" title="Held out for validation in the last training run: its scores are honest"> (validation)</span> : null}
        {stale ? <span className="metrics-stale" title="Predicted by an earlier model: predict again to score the current one"> (earlier model)</span> : null}
        {row.hasObjects ? null : (
          <span className="metrics-empty-note" title="The labels of this slice hold no foreground: every pixel predicted foreground is a false alarm">
            {` (no objects; ${(row.foregroundFraction * 100).toFixed(1)} % called foreground at ${threshold.toFixed(2)})`}
          </span>
        )}
      </th>
      <ScoreCells scores={row} scoring={row.scoring} empty={!row.hasObjects} />
    </tr>
  );
}

function MeanRow({ overall, emptySlices, scoring }: { overall: MeanMetrics | null; emptySlices: number; scoring: boolean }) {
  const averaged = overall?.slicesWithObjects ?? 0;
  const none: Scores = { iou: Number.NaN, dice: Number.NaN, pixelError: Number.NaN, adaptedRandError: Number.NaN, vRand: Number.NaN, vInfo: Number.NaN };
  return (
    <tr>
      <th scope="row" title={MEAN_TITLE}>
        {'Mean '}
        <span className="metrics-mean-note">
          {averaged === 1 ? 'of 1 slice with objects' : `of ${averaged} slices with objects`}
          {emptySlices > 0 ? `; ${emptySlices} without objects not averaged` : ''}
        </span>
      </th>
      <ScoreCells scores={overall ?? none} scoring={scoring && overall !== null} />
    </tr>
  );
}

/**
 * Scores of predicted slices that have labels: foreground IoU and Dice at the threshold, the pixel
 * error, skimage's adapted Rand error and the ISBI leaderboard's V_Rand and V_Info (Fiji's), each
 * slice at its own best threshold; slices whose labels hold no objects apart, outside the mean;
 * below, one slice's threshold sweep and the scored slices as the challenge scores a stack.
 */
export function MetricsTable() {
  const metrics = useStudioState((s) => s.metrics);
  const noteId = useId();
  const threshold = useStudioState((s) => s.prediction.threshold);
  const currentId = useStudioState((s) => s.data.currentSliceId);
  const revisionOf = useStudioState((s) => s.prediction.modelRevisionOf);
  const modelRevision = useStudioState((s) => s.model.revision);
  const stale = useMemo(() => staleSliceIds(revisionOf, modelRevision), [revisionOf, modelRevision]);
  const heldOut = useStudioState((s) => s.training.validationSliceIds);
  const slices = useStudioState((s) => s.data.slices);
  const predicted = useStudioState((s) => s.prediction.predictedSliceIds);
  const unscored = useMemo(() => slices.filter((s) => s.labelled && predicted.includes(s.id) && tooLargeToScore(s.width, s.height)), [slices, predicted]);
  const unscoredNote = unscored.length > 0 ? (
    <p role="note" aria-label="Slices not scored" className="metrics-unscored">
      Not scored, larger than {Math.sqrt(MAX_SCORED_PIXELS)}×{Math.sqrt(MAX_SCORED_PIXELS)} px: {unscored.map((s, i) => <span key={s.id}>{i > 0 ? ', ' : ''}<bdi>{revealDirectionControls(s.name)}</bdi></span>)}. Export the masks to score them elsewhere, or import a crop of a labelled region to score it here.
    </p>
  ) : null;
  if (metrics.rows.length === 0) return unscoredNote;
  const anyScoring = metrics.rows.some((r) => r.scoring);
  const withObjects = metrics.rows.filter((r) => r.hasObjects);
  const empty = metrics.rows.filter((r) => !r.hasObjects);
  const charted = metrics.rows.find((r) => r.sliceId === currentId && r.sweep.length > 0) ?? metrics.rows.find((r) => r.sweep.length > 0);
  const rowOf = (r: SliceMetrics) => <SliceRow key={r.sliceId} row={r} stale={stale.includes(r.sliceId)} heldOut={heldOut.includes(r.sliceId)} threshold={threshold} />;
  return (
    <>
      {/* Focusable, so keyboard users can scroll the wide table sideways (axe: scrollable-region-focusable). */}
      <div className="metrics-scroll" tabIndex={0} role="group" aria-label="Metrics table, scrolls sideways">
        <table className="metrics" aria-label="Metrics" aria-describedby={noteId} data-scoring={anyScoring}>
          <thead>
            <tr>
              <th scope="col" title={METRIC_TITLES.slice}>Slice</th>
              <th scope="col" title={METRIC_TITLES.iou}>IoU</th>
              <th scope="col" title={METRIC_TITLES.dice}>Dice</th>
              <th scope="col" title={METRIC_TITLES.pixelError}>Pixel err.</th>
              <th scope="col" title={METRIC_TITLES.adaptedRandError}>Rand err. (skimage)</th>
              <th scope="col" title={METRIC_TITLES.vRand}>V_Rand</th>
              <th scope="col" title={METRIC_TITLES.vInfo}>V_Info</th>
            </tr>
          </thead>
          <tbody>{withObjects.map(rowOf)}</tbody>
          {empty.length > 0 ? (
            <tbody aria-label="Slices without objects">
              <tr className="metrics-empty-heading"><th scope="colgroup" colSpan={7} title={METRIC_TITLES.emptySlices}>Without objects in the labels: shown apart, not averaged</th></tr>
              {empty.map(rowOf)}
            </tbody>
          ) : null}
          {metrics.rows.length > 1 ? (
            <tfoot><MeanRow overall={metrics.overall} emptySlices={empty.length} scoring={anyScoring} /></tfoot>
          ) : null}
        </table>
      </div>
      {/* Outside the scrolling box (not a <caption>): it wraps at the panel's width instead of the table's. */}
      <p id={noteId} className="metrics-note">Against the labels (slices used for training score optimistically; those marked validation were held out). IoU and Dice follow the threshold slider; the other columns take each slice&apos;s best threshold (the sweep below). Hover a heading for its scale.</p>
      {charted ? <ThresholdSweepChart sliceName={revealDirectionControls(charted.name)} sweep={charted.sweep} threshold={threshold} /> : null}
      {metrics.stack ? <p className="metrics-stack" aria-label="Stack scores">{formatStackMetrics(metrics.stack)}</p> : null}
      {unscoredNote}
    </>
  );
}
