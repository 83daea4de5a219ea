/**
 * Loading a shipped starter and scoring a model on starter images, with the studio's own code:
 * loadModelFiles (every import check), the engine's tiled prediction (EngineSession.predict, batch norm folded:
 * studioPredictionTiling, the model rebuilt at that tile, predictTiled, argmax, separateInstances)
 * and the project's scorers (overlapScores, objectMatchScores, the ISBI scores of bench:accuracy).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { separateInstances } from '../../src/core/labels/separateInstances';
import { objectMatchScores } from '../../src/core/metrics/objectMatching';
import { overlapScores } from '../../src/core/metrics/overlapScores';
import { loadModelFiles } from '../../src/core/model/modelFiles';
import type { ModelMetadata } from '../../src/core/model/modelMetadata';
import { rebuildForTileSize } from '../../src/core/model/rebuildForTileSize';
import type { UNetConfig } from '../../src/core/model/unetConfig';
import { studioPredictionTiling } from '../../src/core/predict/choosePredictionTile';
import { predictTiled } from '../../src/core/predict/predictTiled';
import { predictingNetwork } from '../../src/core/predict/predictingNetwork';
import { scoreProbabilities } from '../../bench/accuracy/score';
import type { StarterImage, StarterName } from './starterData';
import { starterDir, toTrainingSample } from './starterData';

/** public/starters/<name>/ through the studio's import path. */
export async function loadStarter(name: StarterName): Promise<{ model: tf.LayersModel; metadata: ModelMetadata }> {
  const dir = starterDir(name);
  const modelJson = readFileSync(path.join(dir, 'model.json'), 'utf8');
  const weightsPath = (JSON.parse(modelJson) as { weightsManifest: { paths: string[] }[] }).weightsManifest[0]?.paths[0] ?? './model.weights.bin';
  const bytes = readFileSync(path.join(dir, weightsPath));
  return loadModelFiles(modelJson, [bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)]);
}

export interface Prediction {
  /** Foreground (class 1) probability per pixel. */
  readonly foreground: Float32Array;
  /** Argmax class per pixel. */
  readonly classes: Int32Array;
  /** separateInstances of the argmax foreground, as the engine sends with each slice. */
  readonly instances: Int32Array;
}

/** EngineSession.predict for one image (batch norm folded, as the engine predicts), without test-time augmentation. */
export async function predictImage(model: tf.LayersModel, config: UNetConfig, image: StarterImage): Promise<Prediction> {
  const { width, height, channels } = image;
  const tiling = studioPredictionTiling(config, width, height);
  const sized = tiling.inputTilePx === config.tileSizePx ? model : rebuildForTileSize(model, config, tiling.inputTilePx).model;
  const network = predictingNetwork(sized, { ...config, tileSizePx: tiling.inputTilePx });
  try {
    const result = await predictTiled(network.net, { data: image.image, width, height, channels }, tiling);
    const k = config.numClasses;
    const foreground = new Float32Array(width * height);
    const classes = new Int32Array(width * height);
    const mask = new Uint8Array(width * height);
    for (let i = 0; i < classes.length; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if ((result.data[i * k + c] as number) > (result.data[i * k + best] as number)) best = c;
      classes[i] = best;
      mask[i] = best === 1 ? 1 : 0;
      foreground[i] = result.data[i * k + 1] as number;
    }
    return { foreground, classes, instances: separateInstances(mask, width, height).labels };
  } finally {
    network.dispose();
    if (sized !== model) sized.dispose();
  }
}

export interface NucleiScores {
  readonly images: number;
  /** Foreground IoU pooled over the images' pixels (argmax), truth = every nucleus pixel. */
  readonly foregroundIoU: number;
  /** Mean of the per-image foreground IoUs. */
  readonly meanImageIoU: number;
  /** Object F1 at IoU > 0.5, TP / FP / FN pooled over the images (predicted objects: separateInstances). */
  readonly objectF1: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
}

export interface EmScores {
  readonly images: number;
  readonly vRand: number;
  readonly vInfo: number;
  readonly foregroundRestrictedRandError: number;
  readonly pixelError: number;
  /** IoU of the cell (foreground) class, argmax, pooled. */
  readonly foregroundIoU: number;
  readonly membraneIoU: number;
}

export type StarterScores = ({ readonly kind: 'nuclei' } & NucleiScores) | ({ readonly kind: 'em' } & EmScores);

export async function scoreModel(name: StarterName, model: tf.LayersModel, config: UNetConfig, images: readonly StarterImage[]): Promise<StarterScores> {
  if (name === 'em') {
    const samples = images.map(toTrainingSample);
    const n = (images[0] as StarterImage).width * (images[0] as StarterImage).height;
    const foreground = new Float32Array(n * images.length);
    for (const [i, image] of images.entries()) foreground.set((await predictImage(model, config, image)).foreground, i * n);
    const s = scoreProbabilities(foreground, samples);
    return { kind: 'em', images: images.length, vRand: s.vRand, vInfo: s.vInfo, foregroundRestrictedRandError: s.foregroundRestrictedRandError,
      pixelError: s.pixelError, foregroundIoU: s.cellIoU, membraneIoU: s.membraneIoU };
  }
  let intersection = 0;
  let union = 0;
  let iouSum = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const image of images) {
    const prediction = await predictImage(model, config, image);
    const truth = image.labels.classes;
    const overlap = overlapScores(prediction.classes, truth, 2).perClass[1];
    iouSum += overlap?.iou ?? 0;
    for (let i = 0; i < truth.length; i++) {
      const t = truth[i] === 1;
      const p = prediction.classes[i] === 1;
      if (t && p) intersection++;
      if (t || p) union++;
    }
    const objects = objectMatchScores(image.labels.instances ?? truth, prediction.instances);
    tp += objects.truePositives;
    fp += objects.falsePositives;
    fn += objects.falseNegatives;
  }
  return {
    kind: 'nuclei', images: images.length, foregroundIoU: intersection / Math.max(union, 1), meanImageIoU: iouSum / images.length,
    objectF1: (2 * tp) / Math.max(2 * tp + fp + fn, 1), truePositives: tp, falsePositives: fp, falseNegatives: fn,
  };
}

/** One line for logs and cards. */
export function describeScores(s: StarterScores): string {
  const f = (x: number) => x.toFixed(4);
  return s.kind === 'nuclei'
    ? `foreground IoU ${f(s.foregroundIoU)} (mean per image ${f(s.meanImageIoU)}), object F1 @ IoU 0.5 ${f(s.objectF1)} (TP ${s.truePositives}, FP ${s.falsePositives}, FN ${s.falseNegatives})`
    : `V_Rand ${f(s.vRand)}, V_Info ${f(s.vInfo)}, foreground-restricted Rand error ${f(s.foregroundRestrictedRandError)}, pixel error ${f(s.pixelError)}, cell IoU ${f(s.foregroundIoU)}, membrane IoU ${f(s.membraneIoU)}`;
}
