import type { SliceSummary } from '../../store/slices/dataSlice';

/**
 * Loading new data replaces the slices on screen, and autosave then forgets their labels. When
 * any of them carries labels, this is the question to ask first; null when nothing would be lost.
 */
export function replacingLabelsQuestion(slices: readonly SliceSummary[]): string | null {
  const labelled = slices.filter((s) => s.labelled).length;
  if (labelled === 0) return null;
  return `This replaces the ${slices.length} slice${slices.length === 1 ? '' : 's'} on screen, ${labelled} with labels, `
    + 'and their labels are not kept: export the labels or the project first to keep them (Model and exports, Export project). Replace them?';
}
