import { StudioError } from '../../core/errors';
import type { TrainingSettings } from '../../core/train/trainingSettings';
import type { EngineErrorData } from '../../engine/protocol';
import type { StudioStore } from '../../store/createStudioStore';
import type { TrainingSlice } from '../../store/slices/trainingSlice';
import type { EngineClient } from '../engineClient';
import { nextTrainingChoices, runsOnCpu, settingsFromChoices } from './trainingPresets';

export interface TrainingActions {
  setTrainingChoices(patch: Partial<TrainingSlice['trainingChoices']>): void;
  startTraining(): void;
  pauseTraining(): void;
  resumeTraining(): void;
  stopTraining(): void;
}

/**
 * The training panel's actions. Start turns the panel's choices into TrainingSettings and sends
 * them; anything that stops a start lands in store.errors (phase 'training') instead of throwing.
 * The store's `training` follows the engine's events through connectEngine.
 */
export function createTrainingActions(store: StudioStore, engine: Pick<EngineClient, 'send' | 'subscribe'>): TrainingActions {
  // The run id of a start the engine has not answered yet: a second click must not queue a second run.
  let pendingStart: string | null = null;
  engine.subscribe((event) => {
    if (pendingStart === null) return;
    if ((event.type === 'train/started' || event.type === 'error') && (event.runId === pendingStart || event.runId === 'worker')) {
      pendingStart = null;
      // Answered: the panel stops saying "Starting" (train/started replaces `training` anyway).
      store.setState((s) => ({ training: { ...s.training, starting: false } }));
    }
  });

  const refuse = (code: string, message: string) => {
    const error: EngineErrorData = { code, message, phase: 'training' };
    store.setState((s) => ({ errors: [...s.errors, error] }));
  };

  return {
    setTrainingChoices(patch) {
      store.setState((s) => ({ trainingChoices: nextTrainingChoices(s.trainingChoices, patch, s.backend !== null && runsOnCpu(s.backend)) }));
    },

    startTraining() {
      if (pendingStart !== null) return;
      const { data, training, trainingChoices, engineStatus } = store.getState();
      if (engineStatus === 'failed') {
        refuse('engine-unavailable', 'Cannot train: the compute engine failed to start (see the error above).');
        return;
      }
      if (training.status === 'running' || training.status === 'paused') {
        refuse('training-busy', 'Training is already running: stop it before starting another run.');
        return;
      }
      const { model } = store.getState();
      if (model.source === 'third-party' && !trainingChoices.freshWeights) {
        refuse('predict-only', model.thirdParty?.predictOnlyReason ?? 'The current model predicts only: choose fresh weights to train.');
        return;
      }
      const labelled = data.slices.filter((slice) => slice.labelled);
      if (labelled.length === 0) {
        refuse('no-labels', 'Nothing to train on: no slice has labels yet. Paint some foreground and background strokes, or load images with label files, then start training.');
        return;
      }
      let settings: TrainingSettings;
      try {
        settings = settingsFromChoices(trainingChoices, data.classNames.length, labelled[0]?.channels ?? 1);
      } catch (error) {
        if (!(error instanceof StudioError)) throw error;
        refuse(error.code, `Training settings are not valid: ${error.message}`);
        return;
      }
      store.setState((s) => ({ training: { ...s.training, starting: true } }));
      pendingStart = engine.send({ type: 'train/start', settings, freshWeights: trainingChoices.freshWeights });
    },

    pauseTraining() {
      engine.send({ type: 'train/pause' });
    },
    resumeTraining() {
      engine.send({ type: 'train/resume' });
    },
    stopTraining() {
      engine.send({ type: 'train/stop' });
    },
  };
}
