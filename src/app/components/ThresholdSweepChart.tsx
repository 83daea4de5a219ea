import { memo, useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { SweepPoint } from '../../store/slices/predictionSlice';
import { describeSweep, sweepChartData, sweepChartOptions } from '../predict/sweepChartData';

interface Props {
  readonly sliceName: string;
  readonly sweep: readonly SweepPoint[];
  /** The slider's threshold, marked by a dashed line. */
  readonly threshold: number;
}

const HEIGHT_PX = 140;
const FALLBACK_WIDTH_PX = 300;

/**
 * One slice's threshold sweep: pixel error, skimage's Rand error and V_Rand at each of the
 * challenge's 11 thresholds, the slider's threshold marked. The table's sweep columns are these
 * curves' best points; IoU and Dice are read at the marked line instead.
 */
export const ThresholdSweepChart = memo(function ThresholdSweepChart({ sliceName, sweep, threshold }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const thresholdRef = useRef(threshold);
  const data = useMemo(() => sweepChartData(sweep), [sweep]);

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const chart = new uPlot(sweepChartOptions(element.clientWidth || FALLBACK_WIDTH_PX, HEIGHT_PX, () => thresholdRef.current), [[], [], [], []], element);
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

  // After the creating effect, so on mount the new chart is filled.
  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  useEffect(() => {
    thresholdRef.current = threshold;
    plot.current?.redraw(false);
  }, [threshold]);

  return (
    <figure className="sweep-chart" role="img" aria-label={describeSweep(sliceName, sweep, threshold)} data-points={sweep.length} data-threshold={threshold}>
      <figcaption className="sweep-chart-caption" title="Pixel err. and Rand err. in the table are these curves' lowest points, V_Rand its highest; IoU and Dice are read at the dashed line.">
        Threshold sweep of <bdi>{sliceName}</bdi>; dashed: the slider.
      </figcaption>
      <div ref={host} className="sweep-chart-plot" />
    </figure>
  );
});
