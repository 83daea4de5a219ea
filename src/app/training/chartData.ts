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

// Canvas strokes cannot read CSS variables: these mirror --accent and --ok in styles.css.
const TRAINING_COLOUR = '#2f6fde';
const VALIDATION_COLOUR = '#d35400';
const IOU_COLOUR = '#1f8a4c';

/** Loss axis from 0 to a little above the largest loss (1 while there is none). */
function lossRange(_u: uPlot, _min: number | null, max: number | null): uPlot.Range.MinMax {
  return [0, max !== null && Number.isFinite(max) && max > 0 ? max * 1.05 : 1];
}

/** The chart's uPlot options: loss per step on the left axis, validation IoU on a right axis fixed to 0..1. */
export function chartOptions(widthPx: number, heightPx: number): uPlot.Options {
  return {
    width: widthPx,
    height: heightPx,
    scales: { x: { time: false }, loss: { range: lossRange }, iou: { range: [0, 1] } },
    series: [
      { label: 'Step' },
      { label: 'Training loss', scale: 'loss', stroke: TRAINING_COLOUR, width: 1.5, points: { show: false } },
      // Sparse: one value every few steps, joined across the nulls between them.
      { label: 'Validation loss', scale: 'loss', stroke: VALIDATION_COLOUR, width: 1.5, spanGaps: true, points: { show: true, size: 6 } },
      { label: 'Validation IoU', scale: 'iou', stroke: IOU_COLOUR, width: 1.5, dash: [4, 4], spanGaps: true, points: { show: true, size: 6 } },
    ],
    axes: [
      { label: 'Step' },
      { scale: 'loss', label: 'Loss' },
      { scale: 'iou', label: 'Foreground IoU', side: 1, grid: { show: false } },
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
