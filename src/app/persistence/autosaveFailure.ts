import type { EngineErrorData } from '../../engine/protocol';
import { formatBytes } from '../formatBytes';
import { describeError } from './projectDb';

/** Browsers report a full disk / used-up site quota as a DOMException named QuotaExceededError. */
export function isQuotaExceeded(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'QuotaExceededError';
}

/**
 * The error the user sees when a save fails, naming what was not saved and how big it was.
 * `what` reads after "store": "3 images with their labels", "the model".
 */
export function autosaveFailure(what: string, bytes: number, error: unknown): EngineErrorData {
  const size = formatBytes(bytes);
  if (isQuotaExceeded(error)) {
    return {
      code: 'quota-exceeded',
      phase: 'autosave',
      message: `Autosave failed: the browser refused to store ${what}, ${size} (storage full). Free some disk space; autosave tries again with your next change.`,
    };
  }
  return {
    code: 'autosave-failed',
    phase: 'autosave',
    message: `Autosave failed: could not store ${what}, ${size} (${describeError(error)}). Autosave tries again with your next change.`,
  };
}
