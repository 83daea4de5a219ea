import { describe, expect, it } from 'vitest';
import { UNLABELLED } from '../../core/labels/classMap';
import { createStudioStore } from '../../store/createStudioStore';
import { showSlices } from '../data/createDataActions';
import type { RegistryChange } from '../data/sliceRegistry';
import { SliceRegistry } from '../data/sliceRegistry';
import { PredictionRegistry } from '../predict/predictionRegistry';
import { createPaintActions } from './createPaintActions';
import { quantiseProbabilities } from '../../core/predict/quantiseProbabilities';

function setUp() {
  const store = createStudioStore();
  const slices = new SliceRegistry();
  const predictions = new PredictionRegistry();
  const changes: RegistryChange[] = [];
  slices.subscribe((c) => changes.push(c));
  const record = { id: 's', name: 's', width: 20, height: 10, channels: 1, dtype: 'uint8' as const, pixels: new Uint8Array(200), classes: new Int32Array(200).fill(UNLABELLED) };
  showSlices(store, slices, [record]);
  changes.length = 0;
  return { store, slices, predictions, changes, record, paint: createPaintActions(store, slices, predictions) };
}

const count = (a: Int32Array, v: number) => a.reduce((n, k) => n + (k === v ? 1 : 0), 0);

describe('paint actions', () => {
  it('a brush stroke paints the current slice, tells the registry once and the store once', () => {
    const { store, changes, record, paint } = setUp();
    paint.setPaint({ tool: 'brush', classValue: 1, brushRadiusPx: 1 });
    const revision = store.getState().data.labelsRevision;
    const rect = paint.beginStroke({ x: 2, y: 5 });
    expect(rect).not.toBeNull();
    paint.extendStroke({ x: 17, y: 5 });
    expect(changes).toEqual([]); // nothing announced mid-stroke
    paint.endStroke();
    // A radius-1 disc stamped along y = 5 from x = 2 to 17: the whole row plus neighbours.
    for (let x = 2; x <= 17; x++) expect(record.classes[5 * 20 + x]).toBe(1);
    expect(count(record.classes, 1)).toBeGreaterThan(16 * 3 - 1);
    // The registry hears which pixels changed (autosave writes just their tiles): x 1-18, y 4-6.
    expect(changes).toEqual([{ kind: 'labels', id: 's', rects: [{ x: 1, y: 4, width: 18, height: 3 }] }]);
    expect(store.getState().data.labelsRevision).toBe(revision + 1);
    expect(store.getState().data.slices[0]!.labelled).toBe(true);
    expect(store.getState().paint.canUndo).toBe(true);
    paint.undo();
    expect(changes[1]).toEqual({ kind: 'labels', id: 's', rects: [{ x: 1, y: 4, width: 18, height: 3 }] });
    expect(count(record.classes, 1)).toBe(0);
    expect(store.getState().data.slices[0]!.labelled).toBe(false); // the registry's counts followed the undo
  });

  it('the eraser paints unlabelled; undo and redo walk the history', () => {
    const { store, record, paint } = setUp();
    paint.setPaint({ tool: 'fill', classValue: 0 });
    paint.fillAt({ x: 0, y: 0 });
    expect(count(record.classes, 0)).toBe(200);
    paint.setPaint({ tool: 'eraser', brushRadiusPx: 2 });
    paint.beginStroke({ x: 10, y: 5 });
    paint.endStroke();
    expect(record.classes[5 * 20 + 10]).toBe(UNLABELLED);
    paint.undo();
    expect(count(record.classes, 0)).toBe(200);
    paint.undo();
    expect(count(record.classes, UNLABELLED)).toBe(200);
    expect(store.getState().paint.canUndo).toBe(false);
    paint.redo();
    expect(count(record.classes, 0)).toBe(200);
  });

  it('accepts a prediction as labels (thresholded), or says there is none', () => {
    const { store, predictions, record, paint } = setUp();
    paint.acceptPrediction();
    expect(store.getState().errors.at(-1)?.message).toMatch(/no prediction yet/);
    const probabilities = new Float32Array(400);
    for (let i = 0; i < 200; i++) {
      const p = i % 20 < 10 ? 0.8 : 0.3;
      probabilities[i * 2] = 1 - p;
      probabilities[i * 2 + 1] = p;
    }
    predictions.finish('s', 20, 10, 2, quantiseProbabilities(probabilities, 2, 0, 200), new Int32Array(200), 0);
    paint.acceptPrediction();
    expect(Array.from(record.classes.subarray(0, 20))).toEqual([...Array(10).fill(1), ...Array(10).fill(0)]);
    paint.undo();
    expect(count(record.classes, UNLABELLED)).toBe(200);
  });

  it('clamps the brush radius', () => {
    const { store, paint } = setUp();
    paint.setPaint({ brushRadiusPx: 1e6 });
    expect(store.getState().paint.brushRadiusPx).toBe(64);
    paint.setPaint({ brushRadiusPx: 0 });
    expect(store.getState().paint.brushRadiusPx).toBe(0.5);
  });

  it('manual contrast starts from the automatic window on screen, not from the dtype\'s full range', () => {
    const store = createStudioStore();
    const slices = new SliceRegistry();
    // 16-bit values 1000..1999 (a real 16-bit image rarely spans 0-65535): auto = 0.5-99.5 %.
    const pixels = Uint16Array.from({ length: 1000 }, (_, i) => 1000 + i);
    showSlices(store, slices, [{ id: 'a', name: 'a', width: 100, height: 10, channels: 1, dtype: 'uint16', pixels, classes: new Int32Array(1000).fill(UNLABELLED) }]);
    const paint = createPaintActions(store, slices, new PredictionRegistry());
    paint.startManualContrast();
    expect(store.getState().view.contrast).toEqual({ mode: 'manual', low: 1004, high: 1994 });
    // Already manual: the user's window stays.
    paint.setView({ contrast: { mode: 'manual', low: 1200, high: 1300 } });
    paint.startManualContrast();
    expect(store.getState().view.contrast).toEqual({ mode: 'manual', low: 1200, high: 1300 });
  });
});
