import { memo, useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { LossPoint, ValidationPoint } from '../training/chartData';
import { alignChartData, chartOptions } from '../training/chartData';

interface Props {
  readonly losses: readonly LossPoint[];
  readonly validation: readonly ValidationPoint[];
  /** The small curve that stays beside the canvas while the Train step is closed. */
  readonly compact?: boolean;
}

const HEIGHT_PX = 200;
const COMPACT_HEIGHT_PX = 96;
const FALLBACK_WIDTH_PX = 320;

/**
 * Live loss and validation curves. The uPlot instance is made once and fed with setData as the
 * run goes (re-creating it per step would rebuild the canvas and legend every time).
 */
export const TrainingChart = memo(function TrainingChart({ losses, validation, compact = false }: Props) {
  const heightPx = compact ? COMPACT_HEIGHT_PX : HEIGHT_PX;
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data = useMemo(() => alignChartData(losses, validation), [losses, validation]);

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const chart = new uPlot(chartOptions(element.clientWidth || FALLBACK_WIDTH_PX, heightPx, compact), [[], [], [], []], element);
    plot.current = chart;
    const resize = new ResizeObserver(([entry]) => {
      const widthPx = Math.floor(entry?.contentRect.width ?? 0);
      if (widthPx > 0 && widthPx !== chart.width) chart.setSize({ width: widthPx, height: heightPx });
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, [heightPx, compact]);

  // Declared after the creating effect, so on mount it runs second and fills the new chart.
  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  const lastLoss = losses.at(-1)?.loss;
  return (
    <figure
      className={compact ? 'training-chart training-chart-compact' : 'training-chart'}
      role="img"
      aria-label={compact ? 'Training curve' : 'Training loss chart'}
      data-points={losses.length}
      data-last-loss={lastLoss === undefined ? '' : String(lastLoss)}
    >
      <div ref={host} className="training-chart-plot" />
      {losses.length === 0 && !compact ? <figcaption className="hint">The curves appear here once training runs.</figcaption> : null}
    </figure>
  );
});
