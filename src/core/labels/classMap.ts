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

/** Whether any pixel is labelled as an object (a class above background). A plain loop, as hasLabels. */
export function holdsObjects(classes: Int32Array): boolean {
  for (let i = 0; i < classes.length; i++) if ((classes[i] as number) >= 1) return true;
  return false;
}

/** Whether any pixel is annotated. A plain loop: `some` with a callback takes ~0.2 s on a 6000 px slice. */
export function hasLabels(classes: Int32Array): boolean {
  for (let i = 0; i < classes.length; i++) if (classes[i] !== UNLABELLED) return true;
  return false;
}
