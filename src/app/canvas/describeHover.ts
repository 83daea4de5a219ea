import { UNLABELLED } from '../../core/labels/classMap';
import type { SliceRecord } from '../data/sliceRegistry';
import type { SlicePrediction } from '../predict/predictionRegistry';
import { isCovered, predictedClassAt, probabilityAt } from '../predict/predictionRegistry';

/** What the status bar says about the image pixel under the cursor; null off the image. */
export interface HoverDescription {
  /** Image column and row (integers). */
  readonly x: number;
  readonly y: number;
  /** The raw value(s): one number, or comma-separated channels. */
  readonly value: string;
  /** The painted class's name, or "unlabelled". */
  readonly label: string;
  /** The predicted class and its probability, "—" where no prediction covers the pixel. */
  readonly prediction: string;
}

const formatValue = (v: number, integer: boolean) => (integer ? String(v) : Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v));

/**
 * Describes image pixel (imageX, imageY) (fractional image coordinates, as the canvas maps the
 * pointer): its value, its label and the prediction there. Pure, so it runs per pointer move
 * without React and is tested in Node.
 */
export function describeHover(
  slice: SliceRecord,
  prediction: SlicePrediction | null,
  classNames: readonly string[],
  threshold: number,
  imageX: number,
  imageY: number,
): HoverDescription | null {
  const x = Math.floor(imageX);
  const y = Math.floor(imageY);
  if (x < 0 || y < 0 || x >= slice.width || y >= slice.height) return null;
  const i = y * slice.width + x;
  const integer = slice.dtype !== 'float32';
  const channels = Array.from({ length: slice.channels }, (_, c) => formatValue(slice.pixels[i * slice.channels + c] as number, integer));
  const k = slice.classes[i] as number;
  const className = (c: number) => classNames[c] ?? `class ${c}`;
  const label = k === UNLABELLED ? 'unlabelled' : className(k);
  let predicted = '—';
  if (prediction && prediction.width === slice.width && prediction.height === slice.height && isCovered(prediction, i)) {
    const c = predictedClassAt(prediction, i, threshold);
    const probability = probabilityAt(prediction, i, c);
    predicted = `${className(c)} ${probability.toFixed(2)}`;
  }
  return { x, y, value: channels.join(', '), label, prediction: predicted };
}
