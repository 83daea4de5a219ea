/**
 * Slices whose prediction came from an earlier model (model.revision bumps with every training run,
 * import or restore of the weights): their overlay and scores no longer describe the current model.
 */
export function staleSliceIds(modelRevisionOf: Readonly<Record<string, number>>, modelRevision: number): string[] {
  return Object.entries(modelRevisionOf).filter(([, revision]) => revision < modelRevision).map(([id]) => id);
}
