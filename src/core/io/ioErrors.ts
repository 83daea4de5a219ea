import { StudioError } from '../errors';

/** A file that is empty, cut short or corrupt, in words a biologist can act on. */
export function damaged(fileName: string, detail: string): StudioError {
  return new StudioError('decode-failed', `${fileName} looks truncated or damaged: ${detail}. Try exporting it again.`);
}

/** A valid file in a variant the studio does not read. */
export function unsupported(fileName: string, detail: string): StudioError {
  return new StudioError('unsupported-format', `${fileName} ${detail}.`);
}

/**
 * Runs a decoder and turns anything it throws that is not already a StudioError
 * (a library's RangeError, "invalid distance", an out-of-bounds read) into a
 * 'decode-failed' naming the file: nothing raw reaches the user. `what` says in
 * plain words what failed; the library's own words follow in brackets, for support.
 */
export function withDecodeErrors<T>(fileName: string, what: string, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof StudioError) throw error;
    throw damaged(fileName, `${what} (${errorDetail(error)})`);
  }
}

export function errorDetail(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/[.:]+$/, '');
}
