import type { BackendName, EngineEvent, EngineEventOf } from '../engine/protocol';
import type { StudioState, StudioStore } from '../store/createStudioStore';
import { initialModel, initialSelfTest, initialTraining } from '../store/createStudioStore';
import { initialTrainingChoices } from '../store/slices/trainingSlice';
import { chartSeries, curvesUpTo } from './training/chartData';
import { architectureWords, networkOfChoices, nextTrainingChoices, pruneLevelsOfChoices, runsOnCpu } from './training/trainingPresets';
import { pruneLevelsOf } from '../core/model/unetConfig';
import type { EngineClient } from './engineClient';
import { ProgressBatch } from './training/ProgressBatch';
import { describeModel } from './model/createModelActions';
import { predictOnlyReason } from '../core/bioimageioImport/predictOnlyReason';
import { isolate } from '../core/text/isolate';
import { PARITY_CHECK_UNET, TRAIN_CHECK_LEARNING_RATE, TRAIN_CHECK_STEPS, TRAIN_CHECK_UNET } from './selfTestConfigs';

export interface EngineActions {
  runEngineCheck(): void;
  dismissError(index: number): void;
}

/**
 * Wires engine events into the store and returns the actions the UI may call.
 * `backends` overrides the backend order (the page passes `?backend=wasm` through, for troubleshooting).
 */
export function connectEngine(client: EngineClient, store: StudioStore, backends?: readonly BackendName[]): EngineActions {
  const progress = new ProgressBatch<EngineEventOf<'train/progress'>>((events) => applyProgress(store, events), PROGRESS_INTERVAL_MS);
  client.subscribe((event) => {
    if (event.type === 'train/progress') {
      progress.add(event);
      return;
    }
    progress.restart(); // every step before this event reaches the store first
    applyEvent(store, event);
  });
  client.init(backends);

  return {
    runEngineCheck() {
      store.setState({ selfTest: { ...initialSelfTest, status: 'running' } });
      client.send({ type: 'selftest/parity', config: PARITY_CHECK_UNET, seed: 1 });
      client.send({
        type: 'selftest/train',
        config: TRAIN_CHECK_UNET,
        steps: TRAIN_CHECK_STEPS,
        learningRate: TRAIN_CHECK_LEARNING_RATE,
        seed: 2,
      });
    },
    dismissError(index) {
      store.setState((s) => ({ errors: s.errors.filter((_, i) => i !== index) }));
    },
  };
}

/** Training progress reaches the store at most this often (ProgressBatch says why). */
const PROGRESS_INTERVAL_MS = 250;

/** Relative error below which the GPU forward pass counts as equal to the cpu one. */
export const PARITY_TOLERANCE = 1e-4;

/** Steps in one store update: every loss on the curve, the latest step's figures in the panel. */
function applyProgress(store: StudioStore, events: readonly EngineEventOf<'train/progress'>[]): void {
  const last = events.at(-1);
  if (!last) return;
  store.setState((s) => ({
    training: {
      ...s.training,
      step: last.step,
      losses: [...s.training.losses, ...events.map((e) => ({ step: e.step, loss: e.loss }))],
      tilesPerSecond: last.tilesPerSecond,
      learningRate: last.learningRate,
      etaSeconds: last.etaSeconds,
      memory: last.memory,
    },
  }));
}

/** Every event but training progress, which connectEngine hands to applyProgress in batches. */
function applyEvent(store: StudioStore, event: Exclude<EngineEvent, { type: 'train/progress' }>): void {
  switch (event.type) {
    case 'engine/ready':
      store.setState((s) => ({
        engineStatus: 'ready',
        backend: event.report,
        // On a CPU (or a software GPU) start from tiny unless the user chose already: ~1100 cheap steps a minute gave a
        // better model in the first minutes than the fast preset's ~25 (bench/results/recipes/README.md).
        trainingChoices: s.trainingChoices === initialTrainingChoices && runsOnCpu(event.report)
          ? nextTrainingChoices(s.trainingChoices, { preset: 'tiny' })
          : s.trainingChoices,
      }));
      return;
    case 'engine/device-lost':
      store.setState((s) => ({
        backend: event.report,
        errors: [...s.errors, { code: 'device-lost', phase: 'GPU', message: describeDeviceLoss(event) }],
        training: event.trainingStopped ? { ...s.training, status: 'done', starting: false, endReason: 'device-lost' } : s.training,
        model: modelAfterDeviceLoss(s, event),
      }));
      return;
    case 'selftest/parity-result':
      store.setState((s) => ({
        selfTest: {
          ...s.selfTest,
          parity: { backend: event.backend, relativeError: event.relativeError },
          status: event.relativeError < PARITY_TOLERANCE ? s.selfTest.status : 'failed',
        },
      }));
      return;
    case 'selftest/train-step':
      store.setState((s) => ({
        selfTest: { ...s.selfTest, losses: [...s.selfTest.losses, event.loss], stepMs: event.elapsedMs / event.step },
      }));
      return;
    case 'selftest/train-done': {
      const { losses, numTensorsLeaked } = event;
      const fell = losses.length > 1 && (losses.at(-1) as number) < (losses[0] as number);
      store.setState((s) => ({
        selfTest: {
          ...s.selfTest,
          numTensorsLeaked,
          status: s.selfTest.status === 'running' && fell && numTensorsLeaked === 0 ? 'passed' : 'failed',
        },
      }));
      return;
    }
    case 'model/imported':
      store.setState((s) => ({ model: { available: true, source: 'imported', description: describeModel(event.metadata), pruneLevels: pruneLevelsOf(event.metadata.architecture), revision: s.model.revision + 1 } }));
      return;
    case 'model/foreign-imported': {
      const { summary } = event;
      store.setState((s) => ({
        model: {
          available: true, source: 'third-party', pruneLevels: 0, revision: s.model.revision + 1,
          description: `${isolate(summary.name)} (bioimage.io ${summary.formatVersion}, ${summary.weights === 'onnx' ? 'ONNX' : 'TensorFlow.js'} weights, predict only)`,
          thirdParty: { name: summary.name, predictOnlyReason: predictOnlyReason(summary.name), assumptions: summary.assumptions, testMaxAbsDifference: summary.testMaxAbsDifference },
        },
      }));
      return;
    }
    case 'dataset/updated':
    case 'model/exported':
    case 'model/onnx-exported':
    case 'model/bioimageio-exported':
    case 'predict/slice-done':
      return; // heavy payloads: handled by their own listeners (registries, downloads), not the store
    case 'train/started':
      store.setState((s) => ({
        training: {
          ...initialTraining, status: 'running', totalSteps: event.totalSteps, fromStep: event.fromStep,
          splitDescription: event.splitDescription, validationSliceIds: event.validationSliceIds,
          // Continuing a model: its earlier curve stays on the chart, up to the step it continues from.
          earlier: event.fromStep > 0 ? curvesUpTo(chartSeries(s.training), event.fromStep) : { losses: [], validation: [] },
        },
      }));
      return;
    case 'train/validation':
      store.setState((s) => ({ training: { ...s.training, validation: [...s.training.validation, { step: event.step, loss: event.loss, foregroundIoU: event.foregroundIoU }] } }));
      return;
    case 'train/notice':
      store.setState((s) => ({ training: { ...s.training, notices: [...s.training.notices, event.message] } }));
      return;
    case 'train/paused':
      store.setState((s) => ({ training: { ...s.training, status: 'paused' } }));
      return;
    case 'train/resumed':
      store.setState((s) => ({ training: { ...s.training, status: 'running' } }));
      return;
    case 'train/done':
      store.setState((s) => ({
        training: { ...s.training, status: 'done', bestStep: event.bestStep, endReason: event.reason },
        model: event.steps > 0 || s.model.available
          ? {
              available: true, source: 'trained', description: `${s.trainingChoices.preset} preset${architectureWords(networkOfChoices(s.trainingChoices))}, ${s.training.fromStep + event.steps} steps, tile ${s.trainingChoices.tileSizePx} px`,
              pruneLevels: pruneLevelsOfChoices(s.trainingChoices),
              revision: s.model.revision + (event.steps > 0 ? 1 : 0),
            }
          : s.model,
      }));
      return;
    case 'predict/tile':
      store.setState((s) => ({ prediction: { ...s.prediction, status: 'running', tilesDone: event.index + 1, tilesTotal: event.total } }));
      return;
    case 'predict/done':
      store.setState((s) => ({ prediction: { ...s.prediction, status: event.stopped ? 'stopped' : 'done', revision: s.prediction.revision + 1 } }));
      return;
    case 'error':
      store.setState((s) => ({
        errors: [...s.errors, event.error],
        engineStatus: event.error.phase === 'start-up' ? 'failed' : s.engineStatus,
        selfTest: s.selfTest.status === 'running' ? { ...s.selfTest, status: 'failed' } : s.selfTest,
        training: event.error.phase === 'training' ? { ...s.training, status: 'failed' } : s.training,
        prediction: event.error.phase === 'prediction' ? { ...s.prediction, status: 'failed' } : s.prediction,
      }));
      return;
    default: {
      const unknown: never = event;
      throw new Error(`Unhandled engine event ${JSON.stringify(unknown)}`);
    }
  }
}

/** What the user must know after a lost GPU: what ended, which weights are kept, that the data is safe. */
export function describeDeviceLoss(event: EngineEventOf<'engine/device-lost'>): string {
  const { report, keptStep } = event;
  const detail = event.message.trim().replace(/\.$/, '');
  const cause = `The browser reported the GPU device lost (${event.reason}${detail ? `: ${detail}` : ''}).`;
  const restarted = `The engine restarted on ${report.backend}${report.adapter ? ` (${report.adapter})` : ''}.`;
  const weights = event.trainingStopped
    ? keptStep !== null
      ? `Training stopped; the weights from step ${keptStep} are kept, and Start training continues from them.`
      : 'Training stopped before any weights could be kept: start training again.'
    : !event.hadModel ? '' : keptStep !== null ? `The model is kept (its weights from step ${keptStep}).` : 'The model was lost: train again or import it.';
  return `${cause} ${restarted} ${weights} Your images and labels are untouched.`.replace(/ {2,}/g, ' ');
}

function modelAfterDeviceLoss(s: StudioState, event: EngineEventOf<'engine/device-lost'>): StudioState['model'] {
  if (event.keptStep === null) return event.hadModel ? { ...initialModel, revision: s.model.revision + 1 } : s.model;
  if (!event.trainingStopped) return s.model;
  return {
    available: true, source: 'trained', description: `${s.trainingChoices.preset} preset${architectureWords(networkOfChoices(s.trainingChoices))}, ${event.keptStep} steps, tile ${s.trainingChoices.tileSizePx} px`,
    pruneLevels: pruneLevelsOfChoices(s.trainingChoices), revision: s.model.revision + 1,
  };
}
