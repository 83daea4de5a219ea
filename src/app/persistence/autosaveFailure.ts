import type { EngineErrorData } from '../../engine/protocol';
import { describeError } from './projectDb';

/** Browsers report a full disk / used-up site quota as a DOMException named QuotaExceededError. */
export function isQuotaExceeded(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'QuotaExceededError';
}

/** "120 MB", "3.4 MB", "12 kB": sizes as a user reads them. */
export function formatBytes(bytes: number): string {
  if (bytes >= 10e6) return `${Math.round(bytes / 1e6)} MB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1e3))} kB`;
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
      message: `Autosave failed: the browser refused to store ${what}, ${size} (quota exceeded). Export your labels and model.`,
    };
  }
  return {
    code: 'autosave-failed',
    phase: 'autosave',
    message: `Autosave failed: could not store ${what}, ${size} (${describeError(error)}). Export your labels and model.`,
  };
}
