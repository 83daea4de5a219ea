import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine/protocol';
import { formatDuration, progressLine } from './terminalProgress';

const memory = { kind: 'none' } as unknown as Extract<EngineEvent, { type: 'train/progress' }>['memory'];
const progress = (step: number, totalSteps: number): EngineEvent => ({
  type: 'train/progress', runId: 'r', step, totalSteps, loss: 0.31234, learningRate: 1e-3, tilesPerSecond: 4.126, etaSeconds: 3723, memory,
});

describe('terminal progress', () => {
  it('formats durations as a person reads them', () => {
    expect(formatDuration(5)).toBe('0:05');
    expect(formatDuration(65)).toBe('1:05');
    expect(formatDuration(3723)).toBe('1:02:03');
    expect(formatDuration(Number.NaN)).toBe('?');
  });

  it('prints about 40 step lines a run, always the first and the last', () => {
    const printed = Array.from({ length: 400 }, (_, i) => progressLine(progress(i + 1, 400))).filter((line) => line !== null);
    expect(printed).toHaveLength(41); // step 1, then every 10th
    expect(printed[0]).toBe('step 1/400  loss 0.3123  learning rate 0.001  4.13 tiles/s  ETA 1:02:03');
    expect(printed.at(-1)).toContain('step 400/400');
    expect(Array.from({ length: 7 }, (_, i) => progressLine(progress(i + 1, 7))).every((line) => line !== null)).toBe(true);
  });

  it('always prints validation, notices, the end and predicted slices', () => {
    expect(progressLine({ type: 'train/validation', runId: 'r', step: 20, loss: 0.2, foregroundIoU: 0.8123, isBest: true })).toBe('  validation at step 20: loss 0.2000, foreground IoU 0.812 (best so far)');
    expect(progressLine({ type: 'train/done', runId: 'r', reason: 'stopped', steps: 12, bestStep: 10 })).toBe('Training stopped after 12 steps; best validation at step 10.');
    expect(progressLine({ type: 'train/notice', runId: 'r', message: 'fresh weights' })).toBe('  note: fresh weights');
    expect(progressLine({ type: 'dataset/updated', runId: 'r', sliceIds: [] })).toBeNull();
  });
});
