/**
 * Typed errors for the core. Each has a stable `code` the UI can switch on and a
 * message written for the person using the studio, not for a stack trace.
 */
export type StudioErrorCode =
  | 'invalid-tile-size'
  | 'invalid-config'
  | 'shape-mismatch'
  /** A file that is empty, truncated or corrupt. */
  | 'decode-failed'
  /** A valid file in a variant we do not read (e.g. JPEG-compressed TIFF). */
  | 'unsupported-format'
  /** An image and its labels (or two slices) of different sizes. */
  | 'size-mismatch'
  /** Label values outside the class set, or not whole numbers. */
  | 'invalid-labels'
  /** The loss kept becoming NaN/Inf. */
  | 'training-diverged'
  /** A run that would not fit the backend's memory (e.g. the wasm heap's 4 GiB). */
  | 'out-of-memory';

export class StudioError extends Error {
  readonly code: StudioErrorCode;

  constructor(code: StudioErrorCode, message: string) {
    super(message);
    this.name = 'StudioError';
    this.code = code;
  }
}

export class InvalidTileSizeError extends StudioError {
  readonly nearestValidPx: readonly number[];

  constructor(message: string, nearestValidPx: readonly number[]) {
    super('invalid-tile-size', message);
    this.name = 'InvalidTileSizeError';
    this.nearestValidPx = nearestValidPx;
  }
}

export function invalidConfig(message: string): StudioError {
  return new StudioError('invalid-config', message);
}
