import { describe, expect, it } from 'vitest';
import { DEFAULT_AUGMENTATION } from '../../core/augment/augmentationParams';
import { StudioError } from '../../core/errors';
import { isValidInputSizePx, outputSizePx } from '../../core/geometry/tileGeometry';
import { validateUNetConfig } from '../../core/model/unetConfig';
import { initialTrainingChoices } from '../../store/slices/trainingSlice';
import type { TrainingChoices } from './trainingPresets';
import {
  MAX_TILE_PX, MIN_TILE_PX, nextTrainingChoices, presetDefaults, presetGeometry, presetWarning, PRESET_NAMES, pruneLevelsOfChoices, settingsFromChoices, snapTileSizePx, TRAINING_PRESETS,
} from './trainingPresets';

const choicesFor = (preset: TrainingChoices['preset']): TrainingChoices => ({ ...initialTrainingChoices, preset, ...presetDefaults(preset) });

describe('settingsFromChoices', () => {
  it('gives every preset settings that pass validateUNetConfig, with the class count and channels asked for', () => {
    for (const preset of PRESET_NAMES) {
      const settings = settingsFromChoices(choicesFor(preset), 3, 2);
      expect(() => validateUNetConfig(settings.unet)).not.toThrow();
      expect(settings.unet.numClasses).toBe(3);
      expect(settings.unet.inputChannels).toBe(2);
      const { description } = TRAINING_PRESETS[preset];
      expect(description.endsWith('.') && !/\. [A-Z]/.test(description.slice(0, -1))).toBe(true); // one sentence for the UI
    }
  });

  it('paper: the paper\'s valid U-Net, 572 px tile, SGD momentum 0.99, batch 1', () => {
    const s = settingsFromChoices(choicesFor('paper'), 2);
    expect(s.preset).toBe('paper');
    expect(s.unet).toMatchObject({ depth: 4, baseChannels: 64, padding: 'valid', batchNorm: false, tileSizePx: 572, numClasses: 2, inputChannels: 1 });
    expect(outputSizePx(s.unet.tileSizePx, s.unet)).toBe(388); // the paper's 572 -> 388
    expect(s.optimizer).toEqual({ kind: 'sgd-momentum', learningRate: 0.01, momentum: 0.99, schedule: 'constant' });
    expect(s.batchSize).toBe(1);
    expect(s.steps).toBe(2000);
    expect(s.validateEverySteps).toBe(50);
    expect(s.augmentation).toEqual(DEFAULT_AUGMENTATION);
    expect(s.weightAverage).toBeUndefined(); // the paper trains the weights as they are
  });

  it('fast: same padding with batch norm, 16 base channels, 256 px, Adam, batch 2', () => {
    const s = settingsFromChoices(choicesFor('fast'), 2);
    expect(s.preset).toBe('fast');
    expect(s.unet).toMatchObject({ depth: 4, baseChannels: 16, padding: 'same', batchNorm: true, tileSizePx: 256 });
    expect(s.optimizer).toEqual({ kind: 'adam', learningRate: 1e-3, schedule: 'constant' });
    expect(s.batchSize).toBe(2);
    expect(s.validateEverySteps).toBe(25);
    expect(s.weightAverage).toEqual({ decay: 0.99 });
  });

  it('tiny: same padding with batch norm, depth 2, 8 base channels, 64 px, Adam, batch 2, 100 steps, validation every 10', () => {
    const s = settingsFromChoices(choicesFor('tiny'), 2);
    expect(s.unet).toMatchObject({ depth: 2, baseChannels: 8, padding: 'same', batchNorm: true, tileSizePx: 64 });
    expect(s.optimizer).toEqual({ kind: 'adam', learningRate: 5e-3, schedule: 'constant' });
    expect(s.batchSize).toBe(2);
    expect(s.steps).toBe(100);
    expect(s.validateEverySteps).toBe(10);
    expect(s.weightAverage).toEqual({ decay: 0.99 });
  });

  it('takes the user\'s numbers, turns augmentation off, and keeps the preset\'s validation interval (a run also validates at its end)', () => {
    const s = settingsFromChoices({ ...choicesFor('paper'), steps: 30, learningRate: 0.005, tileSizePx: 188, batchSize: 3, augment: false }, 2);
    expect(s.steps).toBe(30);
    expect(s.optimizer).toEqual({ kind: 'sgd-momentum', learningRate: 0.005, momentum: 0.99, schedule: 'constant' });
    expect(s.unet.tileSizePx).toBe(188);
    expect(s.batchSize).toBe(3);
    expect(s.augmentation).toBeNull();
    expect(s.validateEverySteps).toBe(50);
  });

  it('takes the schedule chosen, and the preset\'s where the choices name none (projects saved before schedules)', () => {
    expect(settingsFromChoices({ ...choicesFor('fast'), schedule: 'cosine' }, 2).optimizer.schedule).toBe('cosine');
    expect(settingsFromChoices({ ...choicesFor('tiny'), schedule: 'constant' }, 2).optimizer.schedule).toBe('constant');
    for (const preset of PRESET_NAMES) {
      const saved: TrainingChoices = { ...choicesFor(preset) };
      delete saved.schedule;
      expect(settingsFromChoices(saved, 2).optimizer.schedule).toBe(TRAINING_PRESETS[preset].settings.optimizer.schedule ?? 'constant');
    }
  });

  it('averages the weights as chosen, and as the preset does where the choices do not say (projects saved before the option)', () => {
    expect(settingsFromChoices({ ...choicesFor('fast'), averageWeights: false }, 2).weightAverage).toBeUndefined();
    expect(settingsFromChoices({ ...choicesFor('paper'), averageWeights: true }, 2).weightAverage).toEqual({ decay: 0.99 });
    for (const preset of PRESET_NAMES) {
      const saved: TrainingChoices = { ...choicesFor(preset) };
      delete saved.averageWeights;
      expect(settingsFromChoices(saved, 2).weightAverage).toEqual(TRAINING_PRESETS[preset].settings.weightAverage);
    }
  });

  it('names the field that is out of range', () => {
    const paper = choicesFor('paper');
    const cases: [Partial<TrainingChoices>, RegExp][] = [
      [{ steps: 0 }, /Steps must be a whole number from 1 to 100000 \(got 0\)/],
      [{ steps: 2.5 }, /Steps must be a whole number/],
      [{ batchSize: 0 }, /Batch size must be a whole number from 1 to 64 \(got 0\)/],
      [{ learningRate: 0 }, /Learning rate must be a number above 0 and at most 1 \(got 0\)/],
      [{ learningRate: Number.NaN }, /Learning rate/],
      [{ tileSizePx: 570 }, /570 px tile does not fit a valid U-Net of depth 4.*Nearest valid sizes: 556 or 572 px/],
      [{ tileSizePx: 2000 }, /Tile size must be at most 1024 px \(got 2000\)/],
    ];
    for (const [patch, message] of cases) {
      expect(() => settingsFromChoices({ ...paper, ...patch }, 2)).toThrow(message);
      expect(() => settingsFromChoices({ ...paper, ...patch }, 2)).toThrow(StudioError);
    }
    expect(() => settingsFromChoices(paper, 1)).toThrow(/Number of classes must be from 2 to 256/);
  });
});

describe('snapTileSizePx', () => {
  it('keeps valid sizes and snaps others to the nearest valid size of the geometry, ties to the larger', () => {
    const paper = presetGeometry('paper'); // valid sizes 188, 204, ..., 572, ... (step 16)
    expect(snapTileSizePx(572, paper)).toEqual({ tileSizePx: 572, snapped: false });
    expect(snapTileSizePx(570, paper)).toEqual({ tileSizePx: 572, snapped: true });
    expect(snapTileSizePx(563, paper)).toEqual({ tileSizePx: 556, snapped: true });
    expect(snapTileSizePx(564, paper)).toEqual({ tileSizePx: 572, snapped: true }); // 8 px from both
    expect(snapTileSizePx(100, paper)).toEqual({ tileSizePx: 188, snapped: true }); // the smallest the paper's net takes
    expect(snapTileSizePx(5000, paper)).toEqual({ tileSizePx: 1020, snapped: true });
    const fast = presetGeometry('fast'); // multiples of 16
    expect(snapTileSizePx(250, fast)).toEqual({ tileSizePx: 256, snapped: true });
    expect(snapTileSizePx(1, fast)).toEqual({ tileSizePx: 16, snapped: true });
    const tiny = presetGeometry('tiny'); // multiples of 4
    expect(snapTileSizePx(65, tiny)).toEqual({ tileSizePx: 64, snapped: true });
    expect(snapTileSizePx(Number.NaN, tiny)).toEqual({ tileSizePx: 16, snapped: true });
  });

  it('always lands on a size the geometry accepts, within the offered range (brute force over 1..1100 px)', () => {
    for (const preset of PRESET_NAMES) {
      const geometry = presetGeometry(preset);
      for (let px = 1; px <= 1100; px++) {
        const { tileSizePx, snapped } = snapTileSizePx(px, geometry);
        expect(isValidInputSizePx(tileSizePx, geometry)).toBe(true);
        expect(tileSizePx).toBeGreaterThanOrEqual(MIN_TILE_PX);
        expect(tileSizePx).toBeLessThanOrEqual(MAX_TILE_PX);
        expect(snapped).toBe(tileSizePx !== px);
        // No valid size in range is strictly nearer.
        for (const other of [tileSizePx - 1, tileSizePx + 1, px]) {
          if (other >= MIN_TILE_PX && other <= MAX_TILE_PX && isValidInputSizePx(other, geometry)) {
            expect(Math.abs(other - px)).toBeGreaterThanOrEqual(Math.abs(tileSizePx - px));
          }
        }
      }
    }
  });
});

describe('nextTrainingChoices', () => {
  it('resets steps, learning rate, schedule, weight averaging, tile and batch to the chosen preset and keeps the rest', () => {
    const current: TrainingChoices = { preset: 'fast', steps: 77, learningRate: 0.5, schedule: 'cosine', averageWeights: true, tileSizePx: 128, batchSize: 5, augment: false, freshWeights: true, validationSliceIds: [] };
    expect(nextTrainingChoices(current, { preset: 'paper' })).toEqual({
      preset: 'paper', steps: 2000, learningRate: 0.01, schedule: 'constant', averageWeights: false, tileSizePx: 572, batchSize: 1, augment: false, freshWeights: true, validationSliceIds: [],
    });
    expect(nextTrainingChoices(current, { preset: 'tiny' })).toMatchObject({ steps: 100, tileSizePx: 64, batchSize: 2 });
  });

  it('on a CPU, the fast preset\'s tile is 128 px (a tile in the same patch still wins); the other presets keep theirs', () => {
    expect(nextTrainingChoices(initialTrainingChoices, { preset: 'fast' }, true).tileSizePx).toBe(128);
    expect(nextTrainingChoices(initialTrainingChoices, { preset: 'fast' }, false).tileSizePx).toBe(256);
    expect(nextTrainingChoices(initialTrainingChoices, { preset: 'fast', tileSizePx: 192 }, true).tileSizePx).toBe(192);
    expect(nextTrainingChoices(initialTrainingChoices, { preset: 'tiny' }, true).tileSizePx).toBe(64);
    expect(nextTrainingChoices(initialTrainingChoices, { preset: 'paper' }, true).tileSizePx).toBe(572);
    expect(nextTrainingChoices(initialTrainingChoices, { steps: 9 }, true).tileSizePx).toBe(initialTrainingChoices.tileSizePx); // no preset picked: unchanged
  });

  it('patches other fields and snaps a tile size to the current preset\'s geometry', () => {
    const paper = nextTrainingChoices(initialTrainingChoices, { preset: 'paper' });
    expect(nextTrainingChoices(paper, { steps: 40, augment: false })).toEqual({ ...paper, steps: 40, augment: false });
    expect(nextTrainingChoices(paper, { tileSizePx: 570 }).tileSizePx).toBe(572);
    expect(nextTrainingChoices(initialTrainingChoices, { tileSizePx: 250 }).tileSizePx).toBe(256);
    expect(nextTrainingChoices(initialTrainingChoices, { preset: 'tiny', tileSizePx: 66 }).tileSizePx).toBe(68);
  });
});

describe('the architecture choice', () => {
  it('a U-Net by default (projects saved before the choice too); UNet++ with the preset\'s widths and deep supervision on unless turned off', () => {
    const fast = choicesFor('fast');
    expect(fast.architecture).toBeUndefined();
    expect(settingsFromChoices(fast, 2).unet).toEqual({ ...TRAINING_PRESETS.fast.settings.unet, numClasses: 2 });
    const unetpp = settingsFromChoices({ ...fast, architecture: 'unetpp' }, 2).unet;
    expect(unetpp).toEqual({ ...TRAINING_PRESETS.fast.settings.unet, numClasses: 2, architecture: 'unetpp', deepSupervision: true });
    expect(settingsFromChoices({ ...fast, architecture: 'unetpp', deepSupervision: false }, 2).unet.deepSupervision).toBe(false);
    expect(pruneLevelsOfChoices({ ...fast, architecture: 'unetpp' })).toBe(TRAINING_PRESETS.fast.settings.unet.depth);
    expect(pruneLevelsOfChoices({ ...fast, architecture: 'unetpp', deepSupervision: false })).toBe(0);
    expect(pruneLevelsOfChoices(fast)).toBe(0);
  });

  it('a valid-padded preset (paper) is a U-Net: choosing it turns a UNet++ choice back into a U-Net', () => {
    const unetpp = nextTrainingChoices(choicesFor('fast'), { architecture: 'unetpp' });
    expect(unetpp.architecture).toBe('unetpp');
    expect(nextTrainingChoices(unetpp, { preset: 'tiny' }).architecture).toBe('unetpp');
    expect(nextTrainingChoices(unetpp, { preset: 'paper' }).architecture).toBe('unet');
  });
});

describe('presetWarning', () => {
  it('warns for the paper preset on cpu and wasm only', () => {
    expect(presetWarning('paper', 'cpu')).toMatch(/very slow and may run out of memory.*"tiny" or "fast"/);
    expect(presetWarning('paper', 'wasm')).toMatch(/WebAssembly \(CPU\)/);
    expect(presetWarning('paper', 'webgpu')).toBeNull();
    expect(presetWarning('paper', null)).toBeNull();
    expect(presetWarning('fast', 'cpu')).toBeNull();
    expect(presetWarning('tiny', 'wasm')).toBeNull();
  });
});
