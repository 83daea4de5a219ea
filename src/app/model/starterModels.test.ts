import { describe, expect, it } from 'vitest';
import { initialTrainingChoices } from '../../store/slices/trainingSlice';
import { presetDefaults, type TrainingChoices } from '../training/trainingPresets';
import { STARTER_FINE_TUNE_LEARNING_RATE, startFromPatch } from './starterModels';

const choicesFor = (preset: TrainingChoices['preset']): TrainingChoices => ({ ...initialTrainingChoices, preset, ...presetDefaults(preset) });

describe('startFromPatch', () => {
  const afterStarter = { ...choicesFor('fast'), freshWeights: false, learningRate: STARTER_FINE_TUNE_LEARNING_RATE };

  it('fresh weights after a starter go back to the preset\'s learning rate', () => {
    expect(startFromPatch(afterStarter, true)).toEqual({ freshWeights: true, learningRate: choicesFor('fast').learningRate });
  });

  it('keeps a learning rate the user typed, and the current model keeps the fine-tuning rate', () => {
    expect(startFromPatch({ ...afterStarter, learningRate: 0.02 }, true)).toEqual({ freshWeights: true });
    expect(startFromPatch(afterStarter, false)).toEqual({ freshWeights: false });
  });
});
