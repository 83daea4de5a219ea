import { describe, expect, it } from 'vitest';
import { readProjectSettings, readTrainingHistory } from './readProjectJson';

describe('settings.json and training.json', () => {
  it('reads what the export writes, dropping unknown fields', () => {
    const history = { losses: [{ step: 1, loss: 0.5, extra: 1 }], validation: [{ step: 1, loss: 0.6, foregroundIoU: 0.4 }], bestStep: 1, totalSteps: 4, fromStep: 0, earlier: { losses: [], validation: [] } };
    expect(readTrainingHistory(history)).toEqual({ ...history, losses: [{ step: 1, loss: 0.5 }] });
    expect(readTrainingHistory({ losses: [], validation: [], bestStep: null })).toEqual({ losses: [], validation: [], bestStep: null });
    expect(readProjectSettings({ trainingChoices: { preset: 'tiny', steps: 3, unknown: 1 } })).toEqual({ trainingChoices: { preset: 'tiny', steps: 3 }, classColours: [] });
    expect(readProjectSettings({ trainingChoices: { schedule: 'cosine' } }).trainingChoices).toEqual({ schedule: 'cosine' });
    expect(readProjectSettings({ trainingChoices: { averageWeights: false } }).trainingChoices).toEqual({ averageWeights: false });
    expect(readProjectSettings({ trainingChoices: {}, classColours: [null, '#12ab9F'] }).classColours).toEqual([null, '#12ab9F']);
    expect(readProjectSettings({ trainingChoices: {}, predictionThreshold: 0.35 }).predictionThreshold).toBe(0.35);
  });

  it('names the field that is wrong', () => {
    expect(() => readTrainingHistory([])).toThrow('training.json is not an object.');
    expect(() => readTrainingHistory({ losses: [{ step: 1, loss: '0.5' }], validation: [], bestStep: null })).toThrow('training.json: losses[0].loss is not a number.');
    expect(() => readTrainingHistory({ losses: [], validation: {}, bestStep: null })).toThrow('training.json: validation is not a list.');
    expect(() => readTrainingHistory({ losses: [], validation: [], bestStep: -1 })).toThrow('training.json: bestStep is not a step number or null.');
    expect(() => readProjectSettings({ trainingChoices: null })).toThrow('settings.json: trainingChoices is not an object.');
    expect(() => readProjectSettings({ trainingChoices: { steps: '3' } })).toThrow('settings.json: trainingChoices.steps is not a valid value ("3").');
    expect(() => readProjectSettings({ trainingChoices: { preset: 'huge' } })).toThrow('settings.json: trainingChoices.preset is not a valid value ("huge").');
    expect(() => readProjectSettings({ trainingChoices: { schedule: 'linear' } })).toThrow('settings.json: trainingChoices.schedule is not a valid value ("linear").');
    expect(() => readProjectSettings({ trainingChoices: { averageWeights: 'yes' } })).toThrow('settings.json: trainingChoices.averageWeights is not a valid value ("yes").');
    expect(() => readProjectSettings({ trainingChoices: {}, predictionThreshold: 1.5 })).toThrow('settings.json: predictionThreshold is not a number from 0 to 1 (1.5).');
    expect(() => readProjectSettings({ trainingChoices: {}, classColours: ['red'] })).toThrow('settings.json: classColours is not a list of \'#rrggbb\' colours or null (["red"]).');
  });
});
