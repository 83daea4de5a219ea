import type uPlot from 'uplot';
import type { SweepPoint } from '../../store/slices/predictionSlice';
import { themed } from '../training/chartData';

/** [thresholds, pixel error, skimage's adapted Rand error, V_Rand]: uPlot's aligned columns. */
export type SweepChartData = [number[], (number | null)[], (number | null)[], (number | null)[]];

const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null);

/** The sweep as uPlot columns; NaN (an empty field's Rand error, skimage's 0/0) becomes a gap. */
export function sweepChartData(sweep: readonly SweepPoint[]): SweepChartData {
  return [
    sweep.map((p) => p.threshold),
    sweep.map((p) => finiteOrNull(p.pixelError)),
    sweep.map((p) => finiteOrNull(p.adaptedRandError)),
    sweep.map((p) => finiteOrNull(p.vRand)),
  ];
}

/** Each score's best point of the sweep (what the table shows): the first lowest error, the first highest V_Rand; null when none is finite. */
export function bestOfSweep(sweep: readonly SweepPoint[], key: 'pixelError' | 'adaptedRandError' | 'vRand'): SweepPoint | null {
  const better = key === 'vRand' ? (a: number, b: number) => a > b : (a: number, b: number) => a < b;
  let best: SweepPoint | null = null;
  for (const point of sweep) if (Number.isFinite(point[key]) && (best === null || better(point[key], best[key]))) best = point;
  return best;
}

/** One sentence for screen readers: each score's best threshold and value, and where the slider is. */
export function describeSweep(sliceName: string, sweep: readonly SweepPoint[], threshold: number): string {
  const at = (key: 'pixelError' | 'adaptedRandError' | 'vRand', name: string) => {
    const best = bestOfSweep(sweep, key);
    return best ? `${name} best ${best[key].toFixed(3)} at ${best.threshold.toFixed(1)}` : `${name} undefined at every threshold`;
  };
  return `Threshold sweep of ${sliceName}: ${at('pixelError', 'pixel error')}, ${at('adaptedRandError', 'Rand error')}, ${at('vRand', 'V_Rand')}; ` +
    `the slider's threshold ${threshold.toFixed(2)} is marked`;
}

// The training chart's colours and a third for V_Rand: readable on both themes.
const PIXEL_ERROR_COLOUR = '#4c8dff';
const RAND_ERROR_COLOUR = '#f08a3c';
const V_RAND_COLOUR = '#2fbf71';

/**
 * uPlot options: thresholds 0..1 on x, scores 0..1 on y, and a dashed vertical line at the slider's
 * threshold (read through `threshold()` when uPlot draws, so moving the slider needs only a redraw).
 */
export function sweepChartOptions(widthPx: number, heightPx: number, threshold: () => number): uPlot.Options {
  const axisColour = themed('--chart-axis', '#333');
  const gridColour = themed('--chart-grid', 'rgba(0, 0, 0, 0.07)');
  const axis = (options: uPlot.Axis): uPlot.Axis => ({ stroke: axisColour, grid: { stroke: gridColour, width: 1 }, ticks: { stroke: gridColour, width: 1 }, ...options });
  const markThreshold = (u: uPlot) => {
    const x = Math.round(u.valToPos(threshold(), 'x', true));
    const { ctx } = u;
    ctx.save();
    ctx.strokeStyle = axisColour(u);
    ctx.lineWidth = 1.5 * devicePixelRatio;
    ctx.setLineDash([5 * devicePixelRatio, 4 * devicePixelRatio]);
    ctx.beginPath();
    ctx.moveTo(x, u.bbox.top);
    ctx.lineTo(x, u.bbox.top + u.bbox.height);
    ctx.stroke();
    ctx.restore();
  };
  return {
    width: widthPx,
    height: heightPx,
    legend: { show: true, live: false }, // names only: one short line under a narrow chart
    scales: { x: { time: false, range: [0, 1] }, score: { range: [0, 1] } },
    series: [
      { label: 'Threshold', value: (_u, v) => (v === null ? '–' : v.toFixed(1)) },
      { label: 'Pixel err.', scale: 'score', stroke: PIXEL_ERROR_COLOUR, width: 1.5, points: { show: true, size: 5 } },
      { label: 'Rand err. (skimage)', scale: 'score', stroke: RAND_ERROR_COLOUR, width: 1.5, points: { show: true, size: 5 } },
      { label: 'V_Rand', scale: 'score', stroke: V_RAND_COLOUR, width: 1.5, dash: [4, 4], points: { show: true, size: 5 } },
    ],
    axes: [axis({ label: 'Threshold', size: 28, labelSize: 18 }), axis({ scale: 'score', size: 40, splits: () => [0, 0.5, 1] })],
    hooks: { draw: [markThreshold] },
  };
}
