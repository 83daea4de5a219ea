import type { ModelFiles } from '../../core/model/modelFiles';
import type { SliceRecord } from '../data/sliceRegistry';
import type { SlicePrediction } from '../predict/predictionRegistry';
import type { ProjectDb, ProjectMeta } from './projectDb';

/** A whole project to store in place of the saved one (an imported project file). */
export interface WholeProject {
  readonly slices: readonly SliceRecord[];
  readonly predictions: readonly { readonly sliceId: string; readonly prediction: SlicePrediction; readonly fromCurrentModel: boolean }[];
  readonly model: ModelFiles | null;
  readonly meta: ProjectMeta;
}

/**
 * Replaces everything saved with `project`: the slices each on their own, the predictions (those from
 * the project's model under its key, the others under a key no model has: they restore as stale),
 * the model, then the meta. Rejects on the first write that fails.
 */
export async function writeWholeProject(db: ProjectDb, project: WholeProject, now: Date): Promise<void> {
  const modelKey = `imported-${now.toISOString()}`;
  await db.clear();
  await db.replaceSlices(project.slices);
  for (const [order, record] of project.slices.entries()) await db.saveSlice(record, order);
  for (const { sliceId, prediction, fromCurrentModel } of project.predictions) {
    await db.predictions.save(sliceId, prediction, fromCurrentModel ? modelKey : `${modelKey}/earlier`);
  }
  if (project.model) await db.putModel(project.model, modelKey);
  await db.putMeta(project.meta);
}
