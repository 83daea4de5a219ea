import { describe, expect, it } from 'vitest';
import { formatBytes } from '../formatBytes';
import { autosaveText, formatClockTime } from './autosaveText';

describe('autosaveText', () => {
  it('says what autosave is doing', () => {
    const saved = new Date(2025, 0, 2, 14, 3, 9).toISOString(); // local 14:03:09
    expect(autosaveText({ persistence: 'saved', lastSavedAt: saved, message: null })).toBe('Saved 14:03:09');
    expect(autosaveText({ persistence: 'saving', lastSavedAt: saved, message: null })).toBe('Saving…');
    expect(autosaveText({ persistence: 'restoring', lastSavedAt: null, message: null })).toBe('Restoring your last session…');
    expect(autosaveText({ persistence: 'unavailable', lastSavedAt: null, message: 'Autosave unavailable: no IndexedDB.' })).toBe('Autosave unavailable: no IndexedDB.');
    expect(autosaveText({ persistence: 'failed', lastSavedAt: saved, message: 'Autosave failed: x.' })).toBe('Autosave failed: x.');
    expect(formatClockTime(new Date(2025, 5, 1, 7, 0, 0).toISOString())).toBe('07:00:00');
  });

  it('formats sizes', () => {
    expect(formatBytes(3.36e9)).toBe('3.4 GB');
    expect(formatBytes(120e6)).toBe('120 MB');
    expect(formatBytes(3.44e6)).toBe('3.4 MB');
    expect(formatBytes(12_400)).toBe('12 kB');
    expect(formatBytes(10)).toBe('1 kB');
  });
});
