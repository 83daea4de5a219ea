import type uPlot from 'uplot';
import type { TrainingSlice } from '../../store/slices/trainingSlice';

type Training = TrainingSlice['training'];
export type LossPoint = Training['losses'][number];
export type ValidationPoint = Training['validation'][number];

/** [steps, training loss, validation loss, validation foreground IoU]: uPlot's aligned columns. */
export type TrainingChartData = [number[], (number | null)[], (number | null)[], (number | null)[]];

const finiteOrNull = (value: number | undefined): number | null => (value !== undefined && Number.isFinite(value) ? value : null);

/**
 * Puts training losses and the sparser validation results on one step axis: every step that has
 * either, ascending; null where a series has no value (uPlot leaves a gap, or spans it).
 * Non-finite numbers (a NaN loss, the IoU of an empty union) become null so the chart never breaks.
 */
export function alignChartData(losses: readonly LossPoint[], validation: readonly ValidationPoint[]): TrainingChartData {
  const lossAt = new Map<number, number>();
  for (const point of losses) lossAt.set(point.step, point.loss);
  const validationAt = new Map<number, ValidationPoint>();
  for (const point of validation) validationAt.set(point.step, point);
  const steps = [...new Set([...lossAt.keys(), ...validationAt.keys()])].sort((a, b) => a - b);
  return [
    steps,
    steps.map((step) => finiteOrNull(lossAt.get(step))),
    steps.map((step) => finiteOrNull(validationAt.get(step)?.loss)),
    steps.map((step) => finiteOrNull(validationAt.get(step)?.foregroundIoU)),
  ];
}

// Series colours, readable on the dark and the light theme alike.
const TRAINING_COLOUR = '#4c8dff';
const VALIDATION_COLOUR = '#f08a3c';
const IOU_COLOUR = '#2fbf71';

/** Loss axis from 0 to a little above the largest loss (1 while there is none). */
function lossRange(_u: uPlot, _min: number | null, max: number | null): uPlot.Range.MinMax {
  return [0, max !== null && Number.isFinite(max) && max > 0 ? max * 1.05 : 1];
}

/** Axis text and grid colours from the page's theme (CSS custom properties), read when uPlot draws. */
export const themed = (property: string, fallback: string) => (u: uPlot) => getComputedStyle(u.root).getPropertyValue(property).trim() || fallback;

/**
 * The chart's uPlot options: loss per step on the left axis, validation IoU on a right axis fixed to 0..1.
 * `compact`: the small always-visible curve beside the canvas (no legend or axis titles, no IoU axis).
 */
export function chartOptions(widthPx: number, heightPx: number, compact = false): uPlot.Options {
  const axisColour = themed('--chart-axis', '#333');
  const gridColour = themed('--chart-grid', 'rgba(0, 0, 0, 0.07)');
  const axis = (options: uPlot.Axis): uPlot.Axis => ({
    stroke: axisColour,
    grid: { stroke: gridColour, width: 1 },
    ticks: { stroke: gridColour, width: 1 },
    ...(compact ? { size: 34, gap: 2, font: '10px system-ui, sans-serif', ticks: { stroke: gridColour, width: 1, size: 3 } } : {}),
    ...options,
  });
  return {
    width: widthPx,
    height: heightPx,
    legend: { show: !compact },
    cursor: { show: !compact },
    scales: { x: { time: false }, loss: { range: lossRange }, iou: { range: [0, 1] } },
    series: [
      { label: 'Step' },
      { label: 'Training loss', scale: 'loss', stroke: TRAINING_COLOUR, width: 1.5, points: { show: false } },
      // Sparse: one value every few steps, joined across the nulls between them.
      { label: 'Validation loss', scale: 'loss', stroke: VALIDATION_COLOUR, width: 1.5, spanGaps: true, points: { show: true, size: compact ? 4 : 6 } },
      { label: 'Validation IoU', scale: 'iou', stroke: IOU_COLOUR, width: 1.5, dash: [4, 4], spanGaps: true, points: { show: true, size: compact ? 4 : 6 } },
    ],
    axes: compact
      ? [axis({ size: 18 }), axis({ scale: 'loss' }), axis({ scale: 'iou', show: false })]
      : [
          axis({ label: 'Step' }),
          axis({ scale: 'loss', label: 'Loss' }),
          axis({ scale: 'iou', label: 'Foreground IoU', side: 1, grid: { show: false } }),
        ],
  };
}

/** The validation point with the lowest loss (the run keeps those weights), or null before the first. */
export function bestValidation(validation: readonly ValidationPoint[]): ValidationPoint | null {
  let best: ValidationPoint | null = null;
  for (const point of validation) if (Number.isFinite(point.loss) && (best === null || point.loss < best.loss)) best = point;
  return best;
}

/** Seconds as m:ss (minutes not capped: 90 min is "90:00"); an em dash when unknown. */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '—';
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

type TrainingCurves = Pick<TrainingSlice['training'], 'losses' | 'validation' | 'fromStep' | 'earlier'>;

/** The whole curve of the model in its own step numbers: the earlier runs it continues, then this run (offset by fromStep). */
export function chartSeries(training: TrainingCurves): { losses: LossPoint[]; validation: ValidationPoint[] } {
  const shift = <T extends { step: number }>(p: T): T => ({ ...p, step: p.step + training.fromStep });
  return {
    losses: [...training.earlier.losses, ...training.losses.map(shift)],
    validation: [...training.earlier.validation, ...training.validation.map(shift)],
  };
}

/** The points at or before `step` (a model continued after a lost GPU continues from its kept step, not its last). */
export function curvesUpTo(curves: { losses: LossPoint[]; validation: ValidationPoint[] }, step: number): { losses: LossPoint[]; validation: ValidationPoint[] } {
  return { losses: curves.losses.filter((p) => p.step <= step), validation: curves.validation.filter((p) => p.step <= step) };
}
