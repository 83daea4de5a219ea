/**
 * A class map is what training consumes: one Int32 per pixel, 0..K-1 for the
 * classes (0 = background) and UNLABELLED for pixels the user did not annotate,
 * which get weight 0 and so are ignored by the loss.
 */
export const UNLABELLED = -1;

export interface ClassMap {
  readonly width: number;
  readonly height: number;
  readonly classes: Int32Array;
}
