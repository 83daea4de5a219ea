/** The training history round trip: a run stopped at 30 of 60 steps still reads 30 / 60 after a reload, with its earlier curve. */
import { describe, expect, it } from 'vitest';
import { createStudioStore } from '../../store/createStudioStore';
import { metaFromState, restoredMetaState } from './projectMeta';

describe('project meta: training history', () => {
  it('keeps the run length, the step it continued from and the earlier curve; says a short run was stopped', () => {
    const store = createStudioStore();
    store.setState((s) => ({
      training: {
        ...s.training, status: 'done', step: 30, totalSteps: 60, fromStep: 10, endReason: 'stopped',
        losses: [{ step: 30, loss: 0.3 }], validation: [], earlier: { losses: [{ step: 10, loss: 0.9 }], validation: [] },
      },
    }));
    const saved = JSON.parse(JSON.stringify(metaFromState(store.getState(), new Date(0)))) as ReturnType<typeof metaFromState>;
    const restored = restoredMetaState(createStudioStore().getState(), saved).training;
    expect(restored).toMatchObject({ status: 'done', step: 30, totalSteps: 60, fromStep: 10, endReason: 'stopped', earlier: { losses: [{ step: 10, loss: 0.9 }], validation: [] } });
  });

  it('keeps the prediction threshold, and restores only a threshold the Predict step could have set', () => {
    const store = createStudioStore();
    store.setState((s) => ({ prediction: { ...s.prediction, threshold: 0.35 } }));
    const saved = JSON.parse(JSON.stringify(metaFromState(store.getState(), new Date(0)))) as ReturnType<typeof metaFromState>;
    expect(restoredMetaState(createStudioStore().getState(), saved).prediction.threshold).toBe(0.35);
    expect(restoredMetaState(createStudioStore().getState(), { ...saved, predictionThreshold: 7 }).prediction.threshold).toBe(0.5);
    const older: Omit<typeof saved, 'predictionThreshold'> & { predictionThreshold?: number } = { ...saved };
    delete older.predictionThreshold;
    expect(restoredMetaState(createStudioStore().getState(), older).prediction.threshold).toBe(0.5);
  });

  it('reads a project saved before these were kept', () => {
    const saved = { currentSliceId: null, classNames: ['a', 'b'], training: { losses: [{ step: 30, loss: 0.3 }], validation: [], bestStep: null }, trainingChoices: createStudioStore().getState().trainingChoices, savedAt: '' };
    const restored = restoredMetaState(createStudioStore().getState(), saved).training;
    expect(restored).toMatchObject({ step: 30, totalSteps: 30, fromStep: 0, endReason: 'completed', earlier: { losses: [], validation: [] } });
  });
});
