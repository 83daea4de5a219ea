/**
 * Our side of the accuracy run: the studio's own TrainingRun (TileDrawer sampling, augmentation,
 * GuardedTrainer, weighted loss) on the tfjs wasm backend, one thread. At each evaluation step the
 * validation slices are predicted as the studio predicts a slice (the recipe's studioPredictionTiling:
 * the model rebuilt at the chosen tile, overlapping tiles blended), and the foreground probability
 * maps are written for the shared scorer (score.ts), as the PyTorch side does.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { buildUNet } from '../../src/core/model/buildUNet';
import type { ModelMetadata } from '../../src/core/model/modelMetadata';
import { saveModelFiles } from '../../src/core/model/modelFiles';
import { rebuildForTileSize } from '../../src/core/model/rebuildForTileSize';
import { predictTiled } from '../../src/core/predict/predictTiled';
import { predictingNetwork } from '../../src/core/predict/predictingNetwork';
import { TrainingRun } from '../../src/core/train/TrainingRun';
import type { TrainingSettings } from '../../src/core/train/trainingSettings';
import { useWasmBackend } from '../../src/testUtils/wasmBackend';
import { readExchange } from './exchange';

export interface SideLog {
  readonly side: 'tfjs' | 'pytorch';
  readonly seed: number;
  readonly backend: string;
  /** Per evaluated step: seconds spent training so far (evaluation excluded) and the mean loss of the last steps. */
  readonly evals: { step: number; trainSeconds: number; evalSeconds: number; meanTrainLoss: number }[];
  readonly totalSeconds: number;
  readonly notes: string[];
}

export async function trainOurs(exchangeDir: string, seed: number, outDir: string, modelDir: string | null, unseededDropout: boolean): Promise<void> {
  await useWasmBackend();
  const { exchange, data } = readExchange(exchangeDir);
  const { recipe } = exchange;
  const settings: TrainingSettings = {
    preset: 'custom',
    unet: recipe.unet,
    optimizer: { kind: 'adam', learningRate: recipe.optimizer.learningRate },
    steps: recipe.steps,
    batchSize: recipe.batchSize,
    augmentation: recipe.augmentation,
    targets: recipe.targets,
    validationFraction: 0.25,
    validateEverySteps: recipe.evalSteps[0] ?? recipe.steps,
    seed,
  };
  const model = buildUNet(recipe.unet, seed * 1000);
  const notes: string[] = [];
  if (unseededDropout) {
    // Ablation: tfjs Dropout with a fixed seed draws the same mask at every call (see the report).
    for (const layer of model.layers) if (layer.getClassName() === 'Dropout') (layer as unknown as { seed: number | undefined }).seed = undefined;
    notes.push('dropout layers unseeded (fresh mask per step)');
  }
  const run = new TrainingRun(model, data, settings);
  mkdirSync(outDir, { recursive: true });
  const evals: SideLog['evals'] = [];
  const evalSet = new Set(recipe.evalSteps);
  const start = Date.now();
  let trainMs = 0;
  let evalMs = 0;
  let lossWindow: number[] = [];
  let lastLoss = NaN;
  for (let step = 1; step <= recipe.steps; step++) {
    const t = Date.now();
    const report = await run.step();
    trainMs += Date.now() - t;
    if (report.recoveredMessage) notes.push(report.recoveredMessage);
    lossWindow.push(report.loss);
    lastLoss = report.loss;
    if (!evalSet.has(step)) continue;
    const e = Date.now();
    const { width, height } = exchange;
    const probs = new Float32Array(data.validation.length * width * height);
    const { inputTilePx, outputTilePx, marginPx, overlapPx, alignPx } = recipe.prediction;
    const tiling = { inputTilePx, outputTilePx, marginPx, overlapPx, alignPx };
    const sized = tiling.inputTilePx === recipe.unet.tileSizePx ? model : rebuildForTileSize(model, recipe.unet, tiling.inputTilePx).model;
    // As the studio predicts: batch norm folded (predictingNetwork).
    const network = predictingNetwork(sized, { ...recipe.unet, tileSizePx: tiling.inputTilePx });
    try {
      for (const [i, sample] of data.validation.entries()) {
        const p = await predictTiled(network.net, { data: sample.image, width, height, channels: 1 }, tiling);
        for (let j = 0; j < width * height; j++) probs[i * width * height + j] = p.data[j * p.channels + 1] as number;
      }
    } finally {
      network.dispose();
      if (sized !== model) sized.dispose();
    }
    writeFileSync(path.join(outDir, `probs_step${step}.f32`), new Uint8Array(probs.buffer));
    evalMs += Date.now() - e;
    const meanTrainLoss = lossWindow.reduce((a, b) => a + b, 0) / lossWindow.length;
    lossWindow = [];
    evals.push({ step, trainSeconds: trainMs / 1000, evalSeconds: evalMs / 1000, meanTrainLoss });
    console.log(`tfjs seed ${seed}: step ${step}, train ${(trainMs / 1000).toFixed(0)} s, loss ${meanTrainLoss.toFixed(4)}`);
  }
  const log: SideLog = { side: 'tfjs', seed, backend: `tfjs ${tf.version.tfjs} ${tf.getBackend()} (Node, 1 thread)`, evals, totalSeconds: (Date.now() - start) / 1000, notes };
  writeFileSync(path.join(outDir, 'log.json'), JSON.stringify(log, null, 2));

  if (modelDir) {
    const metadata: ModelMetadata = {
      format: 'unet-studio/1',
      architecture: recipe.unet,
      tile: { inputTilePx: recipe.prediction.inputTilePx, outputTilePx: recipe.prediction.outputTilePx, borderPx: (recipe.prediction.inputTilePx - recipe.prediction.outputTilePx) / 2 },
      normalisation: recipe.normalisation,
      classNames: ['membrane', 'cell'],
      training: {
        steps: recipe.steps,
        preset: 'custom (bench:accuracy, ISBI 2012 slices 0-14)',
        finalLoss: lastLoss,
        bestValidationLoss: null,
        backend: tf.getBackend(),
        savedAt: new Date().toISOString(),
      },
    };
    const files = await saveModelFiles(model, metadata, 'model');
    mkdirSync(modelDir, { recursive: true });
    writeFileSync(path.join(modelDir, 'model.json'), files.modelJson);
    writeFileSync(path.join(modelDir, files.weightsFileName), new Uint8Array(files.weights));
    writeFileSync(path.join(modelDir, 'metadata.json'), files.metadataJson);
  }
  run.dispose();
  model.dispose();
}
