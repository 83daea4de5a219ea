/// <reference lib="webworker" />
import './guardWorkerNetwork'; // first: nothing below may reach the network
import * as tf from '@tensorflow/tfjs';
import { StudioError } from '../core/errors';
import { buildBioimagePackage } from '../core/export/bioimageio/buildBioimagePackage';
import { exportOnnx } from '../core/export/exportOnnx';
import { conciseMessage } from '../core/text/conciseMessage';
import { currentWebGpuDevice, deviceLossGraceMs, forgetWebGpuBackend, watchWebGpuDevice, webgpuDeviceLostWithin } from './backends/webgpuDevice';
import { EngineSession } from './EngineSession';
import type { BackendName, EngineErrorData, EngineEvent, EngineRequest } from './protocol';
import { selectBackend } from './selectBackend';
import { forwardParityWithCpu, trainSelfTest } from './selfTest';
import { configureOnnxWasmPath } from './foreign/configureOnnxWasmPath';

/**
 * The engine worker: a thin switch over the protocol. All tfjs work happens here, never on the
 * page's main thread. Requests run one at a time, in order (some switch the tfjs backend);
 * training runs beside that queue so pause, resume and stop act at once.
 */
declare const self: DedicatedWorkerGlobalScope;

configureOnnxWasmPath(); // a URL only: onnxruntime itself loads with the first third-party ONNX model
const post = (event: EngineEvent, transfer: Transferable[] = []) => self.postMessage(event, transfer);
const session = new EngineSession(() => tf.getBackend());
let queue: Promise<void> = Promise.resolve();
/** The backend order the page asked for, kept to choose again after a lost GPU device. */
let requestedBackends: readonly BackendName[] | undefined;
let stopWatchingDevice = () => {};
/** Set while a new backend replaces a lost one: requests wait for it. */
let recovering: Promise<void> | null = null;
/** The WebGPU device a request started on: a failure waits for its `lost` signal, to say the GPU was lost rather than pass on a raw error. */
let requestDevice: GPUDevice | null = null;

self.onmessage = (message: MessageEvent<EngineRequest>) => {
  const request = message.data;
  if (handleControl(request)) return;
  queue = queue.then(() => handle(request)).catch(async (error: unknown) => {
    const data = toErrorData(error, phaseOf(request));
    const lost = await webgpuDeviceLostWithin(deviceLossGraceMs(error), requestDevice);
    post({ type: 'error', runId: request.runId, error: lost ? { ...data, message: `The GPU was lost while it worked (${data.message}). Try again once the engine has restarted.` } : data });
  });
};

/** Pause, resume and stop (of training or prediction) must not wait behind the queue. */
function handleControl(request: EngineRequest): boolean {
  switch (request.type) {
    case 'train/pause': session.pauseTraining(request.afterStep); return true;
    case 'train/resume': session.resumeTraining(); return true;
    case 'train/stop': session.stopTraining(); return true;
    case 'predict/stop': session.stopPrediction(); return true;
    default: return false;
  }
}

async function handle(request: EngineRequest): Promise<void> {
  if (recovering) await recovering;
  requestDevice = currentWebGpuDevice();
  switch (request.type) {
    case 'engine/init': {
      requestedBackends = request.backends;
      const report = await selectBackend(request.backends);
      watchDevice();
      post({ type: 'engine/ready', runId: request.runId, report });
      return;
    }
    case 'selftest/parity': {
      post({ type: 'selftest/parity-result', runId: request.runId, ...(await forwardParityWithCpu(request.config, request.seed)) });
      return;
    }
    case 'selftest/train': {
      const { runId } = request;
      const result = await trainSelfTest(request.config, request.steps, request.learningRate, request.seed, (step, loss, elapsedMs) =>
        post({ type: 'selftest/train-step', runId, step, loss, elapsedMs }),
      );
      post({ type: 'selftest/train-done', runId, ...result });
      return;
    }
    case 'dataset/put':
      session.putSlice(request.slice);
      post({ type: 'dataset/updated', runId: request.runId, sliceIds: session.sliceIds() });
      return;
    case 'dataset/labels':
      session.patchLabels(request.sliceId, request.rect, request.classes);
      post({ type: 'dataset/updated', runId: request.runId, sliceIds: session.sliceIds() });
      return;
    case 'dataset/remove':
      session.removeSlice(request.sliceId);
      post({ type: 'dataset/updated', runId: request.runId, sliceIds: session.sliceIds() });
      return;
    case 'train/start':
      session.startTraining(request.runId, request.settings, request.freshWeights, post);
      return;
    case 'train/pause':
    case 'train/resume':
    case 'train/stop':
    case 'predict/stop':
      handleControl(request);
      return;
    case 'predict/start':
      await session.predict(request.runId, request.sliceIds, request.testTimeAugmentation, post, request.pruneLevel);
      return;
    case 'model/export': {
      const files = await session.exportModel(request.classNames, request.pruneLevel);
      post({ type: 'model/exported', runId: request.runId, files }, [files.weights]);
      return;
    }
    case 'model/export-onnx': {
      const bytes = await session.withModelToExport(request.classNames, request.pruneLevel, async (model, metadata) =>
        exportOnnx(model, { docString: `U-Net Studio model, ${metadata.classNames.length} classes`, metadata: { unet_studio: JSON.stringify(metadata) } }));
      post({ type: 'model/onnx-exported', runId: request.runId, bytes }, [bytes.buffer as ArrayBuffer]);
      return;
    }
    case 'model/export-bioimageio': {
      const { zip } = await session.withModelToExport(request.classNames, request.pruneLevel, (model, metadata) =>
        buildBioimagePackage({ model, metadata, info: request.info, testImage: session.rawSlice(request.testSliceId), classColours: request.classColours ?? [] }));
      post({ type: 'model/bioimageio-exported', runId: request.runId, zip }, [zip.buffer as ArrayBuffer]);
      return;
    }
    case 'model/import':
      post({ type: 'model/imported', runId: request.runId, metadata: await session.importModel(request.modelJson, request.weights) });
      return;
    case 'model/import-foreign':
      post({ type: 'model/foreign-imported', runId: request.runId, summary: await session.importForeignModel(request.files, request.packageName) });
      return;
    default: {
      const unknown: never = request;
      throw new Error(`Unknown engine request ${JSON.stringify(unknown)}`);
    }
  }
}

function watchDevice(): void {
  stopWatchingDevice();
  stopWatchingDevice = watchWebGpuDevice((info) => {
    recovering = recoverFromLostDevice(info).finally(() => { recovering = null; });
  });
}

/**
 * A lost device takes every tensor with it. The run in flight ends, a new backend starts (the
 * same order as at start-up: a new device when the GPU is still there), and the model comes back
 * from the last kept weights. The slices live in ordinary memory and are not touched.
 */
async function recoverFromLostDevice(info: { reason: string; message: string }): Promise<void> {
  console.warn(`The WebGPU device was lost (${info.reason}): ${info.message}`);
  const lost = session.abandonBackend();
  forgetWebGpuBackend();
  const runId = lost.trainingRunId ?? 'engine';
  try {
    const report = await selectBackend(requestedBackends);
    watchDevice();
    const keptStep = session.restoreOnNewBackend();
    post({ type: 'engine/device-lost', runId, reason: info.reason, message: info.message, report, trainingStopped: lost.trainingRunId !== null, hadModel: lost.hadModel, keptStep });
  } catch (error) {
    post({ type: 'error', runId, error: toErrorData(error, 'start-up') });
  }
}

function phaseOf(request: EngineRequest): string {
  switch (request.type) {
    case 'engine/init': return 'start-up';
    case 'selftest/parity': return 'engine check (GPU vs CPU)';
    case 'selftest/train': return 'engine check (training)';
    case 'dataset/put': case 'dataset/labels': case 'dataset/remove': return 'loading data into the engine';
    case 'train/start': case 'train/pause': case 'train/resume': case 'train/stop': return 'training';
    case 'predict/start': return 'prediction';
    case 'model/export': return 'model export';
    case 'model/export-onnx': return 'ONNX export';
    case 'model/export-bioimageio': return 'bioimage.io export';
    case 'model/import': case 'model/import-foreign': return 'model import';
    default: return 'engine';
  }
}

function toErrorData(error: unknown, phase: string): EngineErrorData {
  if (error instanceof StudioError) return { code: error.code, message: error.message, phase };
  const raw = error instanceof Error ? error.message : String(error);
  // A library's message can be a page of tensor values: the user gets its first line, the console the rest.
  const { text: message, cut } = conciseMessage(raw);
  if (cut) console.error(`Engine error during ${phase}:`, error);
  // GPU memory exhaustion surfaces as a generic error from the backend: say what it means.
  if (/out of memory|OOM|allocation|Failed to allocate/i.test(message)) {
    return { code: 'out-of-memory', message: `The GPU ran out of memory (${message}). Try a smaller tile size or batch, or the "fast" preset.`, phase };
  }
  // The wasm backend's heap is capped (2-4 GB): the paper preset's 572 px training step exceeds it.
  if (/memory access out of bounds|Out of bounds memory access/i.test(message)) {
    return { code: 'out-of-memory', message: `The WebAssembly (CPU) backend ran out of memory (${message}). Use a smaller tile or the "fast" preset on this backend.`, phase };
  }
  // JavaScript could not allocate an array this big ("offset is out of bounds", "Array buffer allocation failed").
  if (error instanceof RangeError || /Array buffer allocation failed|Invalid typed array length|offset is out of bounds/i.test(message)) {
    return { code: 'out-of-memory', message: `The engine could not hold the data in memory (${message}). Use smaller images or tiles, or predict fewer slices at a time.`, phase };
  }
  return { code: 'engine-failure', message, phase };
}
