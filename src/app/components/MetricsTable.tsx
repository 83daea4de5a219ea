import { useStudioState } from '../StudioContext';

const pct = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '–');

/** Scores of predicted slices that have labels: foreground IoU and Dice, and the EM challenge's pixel and Rand errors. */
export function MetricsTable() {
  const metrics = useStudioState((s) => s.metrics);
  if (metrics.rows.length === 0) return null;
  return (
    <table className="metrics" aria-label="Metrics">
      <caption>Against the labels (slices used for training score optimistically)</caption>
      <thead>
        <tr><th scope="col">Slice</th><th scope="col">IoU</th><th scope="col">Dice</th><th scope="col">Pixel error</th><th scope="col">Rand error</th></tr>
      </thead>
      <tbody>
        {metrics.rows.map((r) => (
          <tr key={r.sliceId}><th scope="row">{r.name}</th><td>{pct(r.iou)}</td><td>{pct(r.dice)}</td><td>{pct(r.pixelError)}</td><td>{pct(r.randError)}</td></tr>
        ))}
      </tbody>
      {metrics.overall && metrics.rows.length > 1 ? (
        <tfoot>
          <tr><th scope="row">Mean</th><td>{pct(metrics.overall.iou)}</td><td>{pct(metrics.overall.dice)}</td><td>{pct(metrics.overall.pixelError)}</td><td>{pct(metrics.overall.randError)}</td></tr>
        </tfoot>
      ) : null}
    </table>
  );
}
