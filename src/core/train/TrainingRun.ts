import * as tf from '@tensorflow/tfjs';
import { outputSizePx } from '../geometry/tileGeometry';
import { rebuildForTileSize } from '../model/rebuildForTileSize';
import { choosePredictionTilePx, predictionMarginPx } from '../predict/choosePredictionTile';
import { predictTiled, type TileModel } from '../predict/predictTiled';
import { predictingNetwork } from '../predict/predictingNetwork';
import { mulberry32 } from '../random/mulberry32';
import type { TrainingSample } from '../sampling/trainingSample';
import { TileDrawer } from './drawTrainingTile';
import { GuardedTrainer } from './GuardedTrainer';
import { WeightAverage } from './weightAverage';
import type { PreparedData } from './prepareTrainingData';
import type { TrainingSettings } from './trainingSettings';

export interface StepReport {
  readonly step: number;
  readonly loss: number;
  readonly learningRate: number;
  /** Training tiles per second over this step (sampling, augmentation and the optimiser step). */
  readonly tilesPerSecond: number;
  /** Set when the NaN guard stepped in. */
  readonly recoveredMessage?: string;
}

export interface ValidationReport {
  readonly step: number;
  /** The training loss's formula over the validation pixels (weighted, per labelled pixel). */
  readonly loss: number;
  /** IoU of class 1 (foreground) on labelled validation pixels, argmax prediction. */
  readonly foregroundIoU: number;
  readonly isBest: boolean;
}

/**
 * One training run over prepared data: draws augmented tiles, steps the guarded optimiser,
 * validates every N steps with the same tiled prediction the user will run, and keeps the
 * best weights. Starts from the model's current weights (retraining after corrections).
 */
export class TrainingRun {
  private readonly trainer: GuardedTrainer;
  private readonly drawer: TileDrawer;
  private readonly random: () => number;
  private readonly outputPx: number;
  private best: { loss: number; step: number; weights: tf.Tensor[] } | null = null;
  /** The weights' moving average, where the settings ask for one: what validation scores and the run keeps. */
  private readonly average: WeightAverage | null;
  /** keepResult has put the result into the model (the run has ended). */
  private resultKept = false;
  /**
   * Validation predicts with the largest tile the memory budget allows, as the user's prediction
   * does: with the small training tile, a 512 px slice would take ~100 forward passes, each one
   * mostly dispatch overhead on a GPU. Built once; it gets the current weights before each use.
   */
  private validationNet: { model: tf.LayersModel; tilePx: number } | null = null;

  constructor(private readonly model: tf.LayersModel, private readonly data: PreparedData, private readonly settings: TrainingSettings) {
    const { unet } = settings;
    this.outputPx = outputSizePx(unet.tileSizePx, unet);
    this.drawer = new TileDrawer(data.training, { inputSizePx: unet.tileSizePx, outputSizePx: this.outputPx }, settings.augmentation);
    this.trainer = new GuardedTrainer(model, settings.optimizer, settings.steps);
    this.average = settings.weightAverage ? new WeightAverage(model, settings.weightAverage.decay) : null;
    this.random = mulberry32(settings.seed);
  }

  get bestStep(): number | null {
    return this.best?.step ?? null;
  }

  async step(): Promise<StepReport> {
    const start = Date.now();
    const { tileSizePx, inputChannels } = this.settings.unet;
    const tiles = Array.from({ length: this.settings.batchSize }, () => this.drawer.draw(this.random, Math.floor(this.random() * 2 ** 31)));
    const images = new Float32Array(tiles.length * tileSizePx * tileSizePx * inputChannels);
    const labels = new Int32Array(tiles.length * this.outputPx * this.outputPx);
    const weights = new Float32Array(tiles.length * this.outputPx * this.outputPx);
    tiles.forEach((tile, i) => {
      images.set(tile.image, i * tile.image.length);
      labels.set(tile.labels, i * tile.labels.length);
      weights.set(tile.weights, i * tile.weights.length);
    });
    const batch = {
      images: tf.tensor4d(images, [tiles.length, tileSizePx, tileSizePx, inputChannels]),
      labels: tf.tensor3d(labels, [tiles.length, this.outputPx, this.outputPx], 'int32'),
      weights: tf.tensor3d(weights, [tiles.length, this.outputPx, this.outputPx]),
    };
    try {
      const outcome = await this.trainer.step(batch);
      // A recovered step put back earlier weights, already in the average.
      if (outcome.kind === 'ok') this.average?.update(outcome.step);
      const seconds = Math.max(Date.now() - start, 1) / 1000;
      return {
        step: outcome.step,
        loss: outcome.loss,
        learningRate: this.trainer.learningRate,
        tilesPerSecond: tiles.length / seconds,
        ...(outcome.kind === 'recovered' ? { recoveredMessage: outcome.message } : {}),
      };
    } finally {
      tf.dispose([batch.images, batch.labels, batch.weights]);
    }
  }

  /**
   * Scores the validation data with tiled prediction; remembers the weights when the loss is the best so far.
   * With a weight average, the average is what is scored and remembered; training goes on from its own weights.
   */
  async validate(): Promise<ValidationReport | null> {
    if (this.data.validation.length === 0) return null;
    return this.withResult(() => this.validateModel());
  }

  /** Runs `use` with the run's result so far in the model (presentResult), then puts the trained weights back. */
  async withResult<T>(use: () => Promise<T>): Promise<T> {
    const restoreTrained = this.presentResult();
    try {
      return await use();
    } finally {
      restoreTrained();
    }
  }

  /**
   * Puts the run's result so far into the model (the average, where there is one) until the returned
   * function puts the trained weights back: what validation scores, and a paused run predicts and exports with.
   */
  presentResult(): () => void {
    if (!this.average) return () => undefined;
    const trained = this.trainer.copyWeights();
    this.putAverage();
    return () => {
      this.model.setWeights(trained);
      tf.dispose(trained);
    };
  }

  private async validateModel(): Promise<ValidationReport> {
    let lossSum = 0;
    let labelledCount = 0;
    let intersection = 0;
    let union = 0;
    const net = this.validationNetwork();
    // The current weights as the studio predicts with them (batch norm folded), once for this validation.
    const network = predictingNetwork(net.model, { ...this.settings.unet, tileSizePx: net.tilePx });
    try {
      for (const sample of this.data.validation) {
        const probabilities = await this.predict(sample, network.net, net.tilePx);
        const numClasses = probabilities.channels;
        const predicted = new Int32Array(sample.width * sample.height);
        for (let i = 0; i < predicted.length; i++) {
          const w = sample.weights[i] as number;
          let bestClass = 0;
          for (let k = 1; k < numClasses; k++) if ((probabilities.data[i * numClasses + k] as number) > (probabilities.data[i * numClasses + bestClass] as number)) bestClass = k;
          predicted[i] = bestClass;
          if (w > 0) {
            lossSum -= w * Math.log(Math.max(probabilities.data[i * numClasses + (sample.labels[i] as number)] as number, 1e-12));
            labelledCount++;
          }
        }
        // IoU pooled over all validation pixels (not averaged per slice), so small slices do not dominate.
        const counts = foregroundCounts(predicted, sample.labels);
        intersection += counts.intersection;
        union += counts.union;
      }
    } finally {
      network.dispose();
    }
    const loss = lossSum / Math.max(labelledCount, 1);
    const step = this.trainer.steps;
    const isBest = this.best === null || loss < this.best.loss;
    // The best checkpoint is a copy on the device: one more model's worth of memory.
    if (isBest) {
      if (this.best) tf.dispose(this.best.weights);
      this.best = { loss, step, weights: this.trainer.copyWeights() };
    }
    return { step, loss, foregroundIoU: union === 0 ? NaN : intersection / union, isBest };
  }

  /**
   * The run's result so far, read where it lies, without touching the model: the weight average (else the model's
   * own weights), and after keepResult what it left in the model. What a checkpoint copies out mid-run, so that a
   * lost GPU device gives back the model a pause would have presented. Read these, never dispose them.
   */
  resultWeights(): readonly tf.Tensor[] {
    return this.average && !this.resultKept ? this.average.weights : this.model.getWeights();
  }

  /** Leaves the run's result in the model (the end of a run): the best validated weights, else the average, else the last. */
  keepResult(): void {
    this.resultKept = true;
    if (this.best) this.model.setWeights(this.best.weights);
    else if (this.average) this.putAverage();
  }

  private putAverage(): void {
    const average = (this.average as WeightAverage).copy();
    this.model.setWeights(average);
    tf.dispose(average);
  }

  dispose(): void {
    if (this.validationNet && this.validationNet.model !== this.model) this.validationNet.model.dispose();
    this.validationNet = null;
    this.trainer.dispose();
    this.average?.dispose();
    if (this.best) tf.dispose(this.best.weights);
    this.best = null;
  }

  private validationNetwork(): { model: tf.LayersModel; tilePx: number } {
    const { unet } = this.settings;
    if (!this.validationNet) {
      const width = Math.max(...this.data.validation.map((s) => s.width));
      const height = Math.max(...this.data.validation.map((s) => s.height));
      const tilePx = Math.max(unet.tileSizePx, choosePredictionTilePx(unet, width, height));
      this.validationNet = tilePx === unet.tileSizePx ? { model: this.model, tilePx } : { model: rebuildForTileSize(this.model, unet, tilePx).model, tilePx };
    } else if (this.validationNet.model !== this.model) {
      this.validationNet.model.setWeights(this.model.getWeights());
    }
    return this.validationNet;
  }

  private predict(sample: TrainingSample, net: tf.LayersModel | TileModel, tilePx: number) {
    const { unet } = this.settings;
    const alignPx = 2 ** unet.depth;
    const marginPx = predictionMarginPx(unet, tilePx);
    return predictTiled(net, { data: sample.image, width: sample.width, height: sample.height, channels: sample.channels }, {
      inputTilePx: tilePx,
      outputTilePx: outputSizePx(tilePx, unet),
      marginPx,
      overlapPx: 0,
      alignPx,
    });
  }
}

function foregroundCounts(predicted: Int32Array, truth: Int32Array): { intersection: number; union: number } {
  let intersection = 0;
  let union = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i] as number;
    if (t < 0) continue;
    const p = predicted[i] === 1;
    if (p && t === 1) intersection++;
    if (p || t === 1) union++;
  }
  return { intersection, union };
}

