import { describe, expect, it } from 'vitest';
import { replacingLabelsQuestion } from './replacingLabels';

const slice = (id: string, labelled: boolean) => ({ id, name: id, width: 1, height: 1, channels: 1, dtype: 'uint8' as const, labelled });

describe('replacingLabelsQuestion', () => {
  it('asks only when labels would be lost, saying how many', () => {
    expect(replacingLabelsQuestion([])).toBeNull();
    expect(replacingLabelsQuestion([slice('a', false), slice('b', false)])).toBeNull();
    expect(replacingLabelsQuestion([slice('a', true), slice('b', false), slice('c', true)])).toMatch(/replaces the 3 slices on screen, 2 with labels, and their labels are not kept/);
    // Labels and projects can be exported: the question says how to keep them, not that it cannot be done.
    expect(replacingLabelsQuestion([slice('a', true)])).toContain('export the labels or the project first to keep them');
  });
});
