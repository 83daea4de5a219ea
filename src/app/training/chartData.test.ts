import { describe, expect, it } from 'vitest';
import { alignChartData, bestValidation, chartOptions, formatEta } from './chartData';

describe('alignChartData', () => {
  it('puts sparse validation on the loss steps with nulls in between', () => {
    const losses = [1, 2, 3, 4, 5, 6].map((step) => ({ step, loss: 1 / step }));
    const validation = [{ step: 3, loss: 0.7, foregroundIoU: 0.4 }, { step: 6, loss: 0.5, foregroundIoU: 0.6 }];
    expect(alignChartData(losses, validation)).toEqual([
      [1, 2, 3, 4, 5, 6],
      [1, 1 / 2, 1 / 3, 1 / 4, 1 / 5, 1 / 6],
      [null, null, 0.7, null, null, 0.5],
      [null, null, 0.4, null, null, 0.6],
    ]);
  });

  it('keeps every column as long as the steps, sorted, with validation at a step that has no loss yet', () => {
    const data = alignChartData([{ step: 2, loss: 0.9 }, { step: 1, loss: 1 }], [{ step: 4, loss: 0.8, foregroundIoU: 0.3 }]);
    expect(data).toEqual([[1, 2, 4], [1, 0.9, null], [null, null, 0.8], [null, null, 0.3]]);
  });

  it('turns non-finite numbers into gaps and is empty without data', () => {
    const data = alignChartData([{ step: 1, loss: Number.NaN }, { step: 2, loss: 0.5 }], [{ step: 2, loss: Infinity, foregroundIoU: Number.NaN }]);
    expect(data).toEqual([[1, 2], [null, 0.5], [null, null], [null, null]]);
    expect(alignChartData([], [])).toEqual([[], [], [], []]);
  });

  it('matches an independent step-by-step fill on a long run with validation every 7 steps', () => {
    const losses = Array.from({ length: 200 }, (_, i) => ({ step: i + 1, loss: Math.exp(-i / 50) }));
    const validation = losses.filter((p) => p.step % 7 === 0).map((p) => ({ step: p.step, loss: p.loss * 1.1, foregroundIoU: p.step / 200 }));
    const [steps, loss, vLoss, iou] = alignChartData(losses, validation);
    expect(steps).toHaveLength(200);
    for (let i = 0; i < 200; i++) {
      const step = i + 1;
      expect(loss[i]).toBe(Math.exp(-i / 50));
      expect(vLoss[i]).toBe(step % 7 === 0 ? Math.exp(-i / 50) * 1.1 : null);
      expect(iou[i]).toBe(step % 7 === 0 ? step / 200 : null);
    }
  });
});

describe('chartOptions', () => {
  it('has a step axis, two loss series on the loss scale and the IoU on a right axis fixed to 0..1', () => {
    const options = chartOptions(400, 180);
    expect(options.width).toBe(400);
    expect(options.height).toBe(180);
    expect(options.series.map((s) => s.label)).toEqual(['Step', 'Training loss', 'Validation loss', 'Validation IoU']);
    expect(options.series.map((s) => s.scale)).toEqual([undefined, 'loss', 'loss', 'iou']);
    expect(options.series[2]?.spanGaps).toBe(true);
    expect(options.scales?.iou?.range).toEqual([0, 1]);
    expect(options.axes?.[2]).toMatchObject({ scale: 'iou', side: 1 });
    const lossRange = options.scales?.loss?.range as (u: unknown, min: number | null, max: number | null) => [number, number];
    expect(lossRange(null, 0.2, 2)).toEqual([0, 2.1]);
    expect(lossRange(null, null, null)).toEqual([0, 1]);
  });
});

describe('bestValidation and formatEta', () => {
  it('picks the lowest validation loss, skipping NaN', () => {
    expect(bestValidation([])).toBeNull();
    expect(bestValidation([
      { step: 10, loss: Number.NaN, foregroundIoU: 0 }, { step: 20, loss: 0.4, foregroundIoU: 0.5 },
      { step: 30, loss: 0.3, foregroundIoU: 0.6 }, { step: 40, loss: 0.35, foregroundIoU: 0.7 },
    ])?.step).toBe(30);
  });

  it('formats seconds as m:ss', () => {
    expect(formatEta(0)).toBe('0:00');
    expect(formatEta(9.4)).toBe('0:09');
    expect(formatEta(59.6)).toBe('1:00');
    expect(formatEta(125)).toBe('2:05');
    expect(formatEta(5400)).toBe('90:00');
    expect(formatEta(null)).toBe('—');
    expect(formatEta(Infinity)).toBe('—');
  });
});
