import { isolate } from '../../core/text/isolate';
import type { StudioStore } from '../../store/createStudioStore';
import type { SliceRegistry } from '../data/sliceRegistry';
import type { PredictionRegistry } from '../predict/predictionRegistry';
import type { AutosaveWriter } from './autosaveWriter';
import type { ProjectDb, SavedProject } from './projectDb';

/**
 * Keeps finished predictions with the project and brings them back marked as before. The store's
 * model.revision restarts with every page, so what is saved is a model key: the saved model's own,
 * or this page's `${session}/r${revision}` for a model made here. A restored prediction whose key is
 * the restored model's shows as current, any other as from an earlier model.
 */
export class PredictionAutosave {
  private readonly session: string;
  /** The saved model's key, and the revision it got in this page once the engine had it. */
  private restoredModel: { key: string; revision: number | null } | null = null;
  /** Restored predictions from the restored model, waiting for its revision. */
  private restoredCurrent: string[] = [];

  constructor(
    private readonly store: StudioStore,
    private readonly slices: SliceRegistry,
    private readonly predictions: PredictionRegistry,
    private readonly writer: AutosaveWriter,
    private readonly db: () => ProjectDb | null,
    now: Date,
  ) {
    this.session = `${now.toISOString()}-${Math.random().toString(36).slice(2, 10)}`;
  }

  /** The key saved with a model of this page's `revision`, and with the predictions it made. */
  modelKeyOf(revision: number): string {
    const restored = this.restoredModel;
    return restored && restored.revision === revision ? restored.key : `${this.session}/r${revision}`;
  }

  /** Shows the saved predictions (after their slices are in); those from the saved model count as current. */
  applyRestored(saved: SavedProject): void {
    this.restoredModel = saved.model?.modelKey ? { key: saved.model.modelKey, revision: null } : null;
    const now = this.store.getState().model.revision;
    const revisionOf: Record<string, number> = {};
    const instanceCounts: Record<string, number> = {};
    for (const { sliceId, prediction, modelKey } of saved.predictions) {
      this.predictions.restore(sliceId, prediction);
      const current = modelKey === this.restoredModel?.key;
      if (current) this.restoredCurrent.push(sliceId);
      // Earlier than any model of this page: staleSliceIds marks it.
      revisionOf[sliceId] = current ? now : now - 1;
      instanceCounts[sliceId] = prediction.instanceCount;
    }
    const ids = this.slices.ids().filter((id) => id in revisionOf);
    const failed = saved.failedPredictions.map((id) => isolate(this.slices.get(id)?.name ?? id));
    this.store.setState((s) => ({
      prediction: {
        ...s.prediction, predictedSliceIds: ids, modelRevisionOf: revisionOf, instanceCounts, revision: s.prediction.revision + 1,
        // "done: 2 slice(s) predicted", not "not run yet", over predictions on screen.
        ...(ids.length > 0 ? { status: 'done' as const, slicesDone: ids.length, slicesTotal: ids.length } : {}),
      },
      errors: failed.length === 0 ? s.errors : [...s.errors, {
        code: 'restore-incomplete', phase: 'restore',
        message: `The prediction of ${failed.join(', ')} could not be restored (its saved copy is incomplete). Predict ${failed.length === 1 ? 'that slice' : 'those slices'} again.`,
      }],
    }));
  }

  /** The engine has the saved model: it has a revision now, and the predictions it made are current under it. */
  modelRestored(): void {
    if (!this.restoredModel) return;
    const { revision } = this.store.getState().model;
    this.restoredModel = { ...this.restoredModel, revision };
    const restoredCurrent = this.restoredCurrent;
    this.restoredCurrent = [];
    this.store.setState((s) => {
      const revisionOf = { ...s.prediction.modelRevisionOf };
      // Only those still showing the restored prediction (one predicted again meanwhile has its own revision).
      for (const id of restoredCurrent) if (revisionOf[id] !== undefined && revisionOf[id] < revision) revisionOf[id] = revision;
      return { prediction: { ...s.prediction, modelRevisionOf: revisionOf } };
    });
  }

  /** Queues the save of slice `sliceId`'s finished prediction (after the slices' saves; never in a stroke's way). */
  save(sliceId: string): void {
    this.writer.queue(`prediction:${sliceId}`, () => {
      const db = this.db();
      const prediction = this.predictions.get(sliceId);
      const record = this.slices.get(sliceId);
      const revision = this.store.getState().prediction.modelRevisionOf[sliceId];
      if (!db || !prediction?.done || !record || revision === undefined) return null;
      const modelKey = this.modelKeyOf(revision);
      const { width, height, numClasses } = prediction;
      return {
        what: `the prediction of ${isolate(record.name)} (${width}×${height} px)`,
        bytes: width * height * (2 * (numClasses - 1) + (prediction.instanceCount <= 0xffff ? 2 : 4)),
        run: async () => {
          // A newer prediction of the slice came while this one was being stored: store that one.
          if ((await db.predictions.save(sliceId, prediction, modelKey, () => this.predictions.get(sliceId) === prediction)) === 'superseded') this.save(sliceId);
        },
      };
    });
  }
}
