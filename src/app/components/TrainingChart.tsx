import { memo, useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { LossPoint, ValidationPoint } from '../training/chartData';
import { alignChartData, chartOptions } from '../training/chartData';

interface Props {
  readonly losses: readonly LossPoint[];
  readonly validation: readonly ValidationPoint[];
}

const HEIGHT_PX = 200;
const FALLBACK_WIDTH_PX = 320;

/**
 * Live loss and validation curves. The uPlot instance is made once and fed with setData as the
 * run goes (re-creating it per step would rebuild the canvas and legend every time).
 */
export const TrainingChart = memo(function TrainingChart({ losses, validation }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data = useMemo(() => alignChartData(losses, validation), [losses, validation]);

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const chart = new uPlot(chartOptions(element.clientWidth || FALLBACK_WIDTH_PX, HEIGHT_PX), [[], [], [], []], element);
    plot.current = chart;
    const resize = new ResizeObserver(([entry]) => {
      const widthPx = Math.floor(entry?.contentRect.width ?? 0);
      if (widthPx > 0 && widthPx !== chart.width) chart.setSize({ width: widthPx, height: HEIGHT_PX });
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, []);

  // Declared after the creating effect, so on mount it runs second and fills the new chart.
  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  const lastLoss = losses.at(-1)?.loss;
  return (
    <figure
      className="training-chart"
      role="img"
      aria-label="Training loss chart"
      data-points={losses.length}
      data-last-loss={lastLoss === undefined ? '' : String(lastLoss)}
    >
      <div ref={host} className="training-chart-plot" />
      {losses.length === 0 ? <figcaption className="hint">The curves appear here once training runs.</figcaption> : null}
    </figure>
  );
});
