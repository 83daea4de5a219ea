/**
 * Browser rows of `npm run bench` (issue 6, item 3): the real built studio in headless Chromium,
 * driven through its engine worker's protocol from the page (`?test-hooks`), once per backend the
 * page can force (`?backend=webgpu|webgl|wasm|cpu`; no fallback). Per backend:
 *   - training step and forward pass of the fast preset's network at a 64 px tile (SwiftShader is a
 *     CPU emulation of a GPU), beside PyTorch CPU at the same tile; the paper preset's 572 px rows run
 *     only when this backend's measured speed says a run takes under PAPER_LIMIT_S, else say why not;
 *   - tiled prediction of a 512x512 and a 2048x2048 image (predict/start to predict/done), each run
 *     only when the estimate from the measured forward speed is under its limit;
 *   - main-thread long tasks and the page's JS heap while training and predicting.
 * Everything is timed with the page's clock at the moment the engine's events arrive.
 * Helpers: bench/browser/ (the page, the server, the injected page script).
 */
import { outputSizePx } from '../../src/core/geometry/tileGeometry';
import type { UNetConfig } from '../../src/core/model/unetConfig';
import { FAST_UNET, PAPER_UNET } from '../../src/core/model/unetConfig';
import { choosePredictionTilePx, predictionMarginPx, usefulOutputPx } from '../../src/core/predict/choosePredictionTile';
import { planTiles } from '../../src/core/predict/planTiles';
import { FAST_TRAINING } from '../../src/core/train/trainingSettings';
import type { TrainingSettings } from '../../src/core/train/trainingSettings';
import type { BackendName, EngineMemory } from '../../src/engine/protocol';
import type { BenchCase, BenchReport } from '../benchCase';
import { BenchSkip } from '../benchCase';
import type { OpenedBackend } from '../browser/studioPage';
import { call, StudioBrowser } from '../browser/studioPage';
import { forwardGflop } from './model';

const BACKENDS: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];
const PEER = 'bench/peers/unet_torch.py';
/** The page's wasm runs on every core when isolated (2 here): PyTorch on 2 threads first, 1 beside it. */
const peers = (key: string): Pick<BenchCase, 'peer' | 'extraPeers'> => ({
  peer: { name: 'PyTorch CPU, 2 threads', script: PEER, key: `${key}@2` },
  extraPeers: [{ name: 'PyTorch CPU, 1 thread', script: PEER, key }],
});
const MODEL_GROUP = 'model in the browser (built studio in headless Chromium, engine worker, timed in the page)';
const PREDICT_GROUP = 'tiled prediction in the browser (built studio in headless Chromium, predict/start to predict/done)';
/** Training-step cost as 3x the forward pass (as bench/gpu/cases.ts). */
const TRAIN_MULTIPLE = 3;
/** The paper preset runs only when one training step or forward pass is estimated under this. */
const PAPER_LIMIT_S = 30;
/** A tiled prediction runs only when estimated under this (the 2048 px one: the brief's ~2 minutes). */
const PREDICT_LIMIT_S: Record<number, number> = { 512: 90, 2048: 120 };
const REQUEST_TIMEOUT_MS = 9 * 60_000;

const SMALL: UNetConfig = { ...FAST_UNET, tileSizePx: 64 };

const studio = new StudioBrowser();
/** One function for every row, so the runner calls it once. */
const closeStudio = () => studio.close();

interface Monitored { longTasks: number; longestLongTaskMs: number; peakJsHeapMiB: number; engineMemory: EngineMemory | null }
interface TrainResult extends Monitored { totalMs: number; stepMs: number[]; steps: number }
interface PredictResult extends Monitored { ms: number; tiles: number; tilePx: number }

/** Per backend: what its page holds and what its rows measured (medians feed later rows' estimates). */
interface BackendState {
  opened: OpenedBackend | null;
  slices: Set<string>;
  model: UNetConfig | null;
  forwardMs: Map<string, number[]>;
  trainMs: Map<string, number[]>;
  /** GFLOP/s of the last tiled prediction that ran: a better estimate for the next, larger one than the 64 px forward. */
  predictGflops: { imagePx: number; rate: number } | null;
}
const states = new Map<BackendName, BackendState>();

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const key = (config: UNetConfig) => `${config.padding}-${config.baseChannels}-${config.tileSizePx}`;
const fmtTime = (s: number) => (s >= 90 ? `~${(s / 60).toFixed(0)} min` : `~${s.toFixed(0)} s`);
const monitorMetrics = (m: Monitored) => ({
  longTasks: m.longTasks, longestLongTaskMs: Math.round(m.longestLongTaskMs), peakJsHeapMiB: Math.round(m.peakJsHeapMiB),
  ...(m.engineMemory ? { engineMemoryMiB: Math.round(m.engineMemory.bytes / 2 ** 20) } : {}),
});
const engineMemoryNote = (m: Monitored) => (m.engineMemory ? `; engine memory ${Math.round(m.engineMemory.bytes / 2 ** 20)} MiB: ${m.engineMemory.what}` : '');
const MEMORY_NOTE = 'peakJsHeapMiB = the page\'s JS heap (performance.memory); engineMemoryMiB = what the engine worker reports ' +
  '(the wasm heap or the GPU buffer/texture pool: high-water marks since this backend\'s page opened, so they include earlier rows on it; on cpu, tensors held after the run)';

async function open(backend: BackendName): Promise<{ opened: OpenedBackend; state: BackendState }> {
  let opened: OpenedBackend;
  try {
    opened = await studio.open(backend);
  } catch (error) {
    throw new BenchSkip(error instanceof Error ? error.message : String(error));
  }
  let state = states.get(backend);
  if (!state || state.opened?.page !== opened.page) {
    state = { opened, slices: new Set(), model: null, forwardMs: state?.forwardMs ?? new Map(), trainMs: state?.trainMs ?? new Map(), predictGflops: state?.predictGflops ?? null };
    states.set(backend, state);
  }
  return { opened, state };
}

/** Where the backend computes, in words for a skip reason. */
function where(opened: OpenedBackend): string {
  if (/swiftshader/i.test(opened.adapter)) return `a software adapter (${opened.report.backend} on SwiftShader)`;
  if (opened.report.backend === 'wasm' || opened.report.backend === 'cpu') return `the CPU (${opened.report.backend} backend)`;
  return opened.adapter;
}

async function putSlice(opened: OpenedBackend, state: BackendState, id: string, sizePx: number, labelled: boolean): Promise<void> {
  if (state.slices.has(id)) return;
  await call(opened.page, 'putSlice', id, sizePx, /* seed */ sizePx, labelled, REQUEST_TIMEOUT_MS);
  state.slices.add(id);
}

/** Fresh weights, SGD momentum as the PyTorch peer, one tile per step, no augmentation and no validation (steady steps). */
function settings(config: UNetConfig, steps: number): TrainingSettings {
  return {
    ...FAST_TRAINING, preset: 'custom', unet: config, optimizer: { kind: 'sgd-momentum', learningRate: 1e-3, momentum: 0.99 },
    steps, batchSize: 1, augmentation: null, validationFraction: 0, validateEverySteps: 1_000_000, seed: 1,
  };
}

async function train(opened: OpenedBackend, state: BackendState, config: UNetConfig, steps: number): Promise<TrainResult> {
  const side = Math.max(128, config.tileSizePx);
  await putSlice(opened, state, `train-${side}`, side, true);
  const result = await call<TrainResult>(opened.page, 'train', settings(config, steps), REQUEST_TIMEOUT_MS);
  state.model = config;
  return result;
}

/** Throws BenchSkip when this backend's measured 64 px speed puts one run of a larger `config` (fast-256, paper-572) over the limit. */
function checkAffordable(opened: OpenedBackend, state: BackendState, config: UNetConfig): void {
  if (key(config) === key(SMALL)) return;
  const forward = state.forwardMs.get(key(SMALL));
  const train = state.trainMs.get(key(SMALL));
  if (!forward?.length || !train?.length) throw new BenchSkip(`not run: no measured ${SMALL.tileSizePx} px speed on ${opened.report.backend} to estimate it from (its rows failed or were filtered out)`);
  const forwardRate = forwardGflop(SMALL) / (median(forward) / 1000);
  const trainRate = TRAIN_MULTIPLE * forwardGflop(SMALL) / (median(train) / 1000);
  const forwardS = forwardGflop(config) / forwardRate;
  const trainS = TRAIN_MULTIPLE * forwardGflop(config) / trainRate;
  if (Math.max(forwardS, trainS) > PAPER_LIMIT_S) {
    throw new BenchSkip(`skipped on ${where(opened)}: ${fmtTime(trainS)} per training step and ${fmtTime(forwardS)} per forward pass ` +
      `at the measured ${trainRate.toFixed(2)} / ${forwardRate.toFixed(2)} GFLOP/s of the ${SMALL.tileSizePx} px rows (limit ${PAPER_LIMIT_S} s a run)`);
  }
}

function tags(opened: OpenedBackend | null): Pick<BenchReport, 'backend' | 'adapter'> {
  return opened ? { backend: opened.report.backend, adapter: opened.adapter } : {};
}

function modelCases(backend: BackendName, prefix: string, config: UNetConfig): BenchCase[] {
  const gflop = forwardGflop(config);
  // The largest image that prediction covers with exactly one tile of the training size: one forward pass, no rebuild.
  const forwardSlicePx = usefulOutputPx(config, config.tileSizePx) - (config.padding === 'same' ? 2 ** config.depth : 0);
  if (choosePredictionTilePx(config, forwardSlicePx, forwardSlicePx) !== config.tileSizePx) throw new Error(`no one-tile image for ${prefix}`);
  let lastTrain: TrainResult | null = null;
  let lastOpened: OpenedBackend | null = null;
  const trainRuns: number[] = [];
  const forwardRuns: number[] = [];
  const trainStep: BenchCase = {
    id: `browser-${backend}-${prefix}-train-step`,
    group: MODEL_GROUP,
    description: `training step on ${backend}, ${config.padding} U-Net, ${config.baseChannels} base channels, ${config.tileSizePx} px tile, batch 1, SGD momentum ` +
      `(~${(TRAIN_MULTIPLE * gflop).toFixed(2)} GFLOP, 3x forward): each run is a train/start of 3 steps on fresh weights, no augmentation; ` +
      'the mean gap between the progress events of steps 1-2 and 2-3 (step 1 compiles shaders); tile drawing and the loss read-back included',
    minRuns: 1,
    async setup() {
      const { opened, state } = await open(backend);
      lastOpened = opened;
      checkAffordable(opened, state, config);
    },
    warmUp() { /* the run's first step is its warm-up */ },
    async run() {
      const { opened, state } = await open(backend);
      lastTrain = await train(opened, state, config, 3);
      const ms = (lastTrain.stepMs[1]! + lastTrain.stepMs[2]!) / 2;
      trainRuns.push(ms);
      state.trainMs.set(key(config), trainRuns);
      return ms;
    },
    report() {
      if (!lastTrain) return tags(lastOpened);
      const rate = TRAIN_MULTIPLE * gflop / (median(trainRuns) / 1000);
      return {
        ...tags(lastOpened),
        note: `${rate.toFixed(2)} GFLOP/s; long tasks and heap over the last run's whole train/start (${(lastTrain.totalMs / 1000).toFixed(1)} s, set-up and the compiling first step included); ${MEMORY_NOTE}${engineMemoryNote(lastTrain)}`,
        metrics: { gflop: TRAIN_MULTIPLE * gflop, gflopPerSecond: rate, ...monitorMetrics(lastTrain) },
      };
    },
    teardown: closeStudio,
    ...peers(`${prefix}-train-step`),
  };
  let lastPredict: PredictResult | null = null;
  const forward: BenchCase = {
    id: `browser-${backend}-${prefix}-forward`,
    group: MODEL_GROUP,
    description: `forward pass on ${backend}, same network and tile (${gflop.toFixed(2)} GFLOP): predict/start of a ${forwardSlicePx}x${forwardSlicePx} slice ` +
      `that the studio covers with one ${config.tileSizePx} px tile, to predict/done (softmax, read-back, instance separation and the transfer to the page included)`,
    minRuns: config.tileSizePx > 128 ? 1 : 3,
    async setup() {
      const { opened, state } = await open(backend);
      lastOpened = opened;
      checkAffordable(opened, state, config);
      if (state.model === null || key(state.model) !== key(config)) await train(opened, state, config, 1);
      await putSlice(opened, state, `forward-${forwardSlicePx}`, forwardSlicePx, false);
    },
    async run() {
      const { opened, state } = await open(backend);
      lastPredict = await call<PredictResult>(opened.page, 'predict', `forward-${forwardSlicePx}`, REQUEST_TIMEOUT_MS);
      if (lastPredict.tiles !== 1 || lastPredict.tilePx !== config.tileSizePx) {
        throw new Error(`expected one ${config.tileSizePx} px tile, the studio used ${lastPredict.tiles} of ${lastPredict.tilePx} px`);
      }
      forwardRuns.push(lastPredict.ms);
      state.forwardMs.set(key(config), forwardRuns);
      return lastPredict.ms;
    },
    report() {
      if (!lastPredict) return tags(lastOpened);
      const rate = gflop / (median(forwardRuns) / 1000);
      return { ...tags(lastOpened), note: `${rate.toFixed(2)} GFLOP/s${engineMemoryNote(lastPredict)}`, metrics: { gflop, gflopPerSecond: rate, ...monitorMetrics(lastPredict) } };
    },
    teardown: closeStudio,
    ...peers(`${prefix}-forward`),
  };
  return [trainStep, forward];
}

function predictCase(backend: BackendName, imagePx: number): BenchCase {
  const config = SMALL;
  const tilePx = choosePredictionTilePx(config, imagePx, imagePx);
  const alignPx = 2 ** config.depth;
  const tiles = planTiles({
    imageWidthPx: imagePx, imageHeightPx: imagePx, inputTilePx: tilePx,
    borderPx: (tilePx - outputSizePx(tilePx, config)) / 2 + predictionMarginPx(config, tilePx),
    overlapPx: config.padding === 'same' ? alignPx : 0, alignPx,
  }).length;
  const gflop = tiles * forwardGflop({ ...config, tileSizePx: tilePx });
  const limitS = PREDICT_LIMIT_S[imagePx] ?? 60;
  let lastOpened: OpenedBackend | null = null;
  let last: PredictResult | null = null;
  return {
    id: `browser-${backend}-predict-tiled-${imagePx}`,
    group: PREDICT_GROUP,
    description: `tiled prediction of a ${imagePx}x${imagePx} image on ${backend}, the fast network trained at ${config.tileSizePx} px, ` +
      `${tiles} tile(s) of ${tilePx} px as the studio chooses (${gflop.toFixed(1)} GFLOP), no TTA; softmax, blending, instance separation and the transfer to the page included; ` +
      'one timed run, no warm-up (shader compilation for this tile size included)',
    minRuns: 1,
    async setup() {
      const { opened, state } = await open(backend);
      lastOpened = opened;
      const forward = state.forwardMs.get(key(config));
      if (!forward?.length) throw new BenchSkip(`not run: no measured forward speed on ${backend} to estimate it from (its rows failed or were filtered out)`);
      const measured = state.predictGflops ?? { rate: forwardGflop(config) / (median(forward) / 1000), imagePx: 0 };
      const from = measured.imagePx > 0 ? `the ${measured.imagePx} px tiled prediction` : `the ${config.tileSizePx} px forward row`;
      const estimateS = gflop / measured.rate;
      if (estimateS > limitS) {
        throw new BenchSkip(`skipped on ${where(opened)}: ${fmtTime(estimateS)} at the measured ${measured.rate.toFixed(2)} GFLOP/s of ${from} (limit ${limitS} s)`);
      }
      if (state.model === null || key(state.model) !== key(config)) await train(opened, state, config, 1);
      await putSlice(opened, state, `image-${imagePx}`, imagePx, false);
    },
    warmUp() { /* one run only: it is long */ },
    async run() {
      const { opened } = await open(backend);
      last = await call<PredictResult>(opened.page, 'predict', `image-${imagePx}`, REQUEST_TIMEOUT_MS);
      if (last.tiles !== tiles || last.tilePx !== tilePx) throw new Error(`expected ${tiles} tiles of ${tilePx} px, the studio used ${last.tiles} of ${last.tilePx} px`);
      const state = states.get(backend);
      if (state) state.predictGflops = { imagePx, rate: gflop / (last.ms / 1000) };
      return last.ms;
    },
    report() {
      if (!last) return tags(lastOpened);
      const rate = gflop / (last.ms / 1000);
      return { ...tags(lastOpened), note: `${rate.toFixed(2)} GFLOP/s; long tasks and heap while predicting; ${MEMORY_NOTE}${engineMemoryNote(last)}`, metrics: { gflop, gflopPerSecond: rate, tiles, tilePx, ...monitorMetrics(last) } };
    },
    teardown: closeStudio,
  };
}

export const cases: BenchCase[] = BACKENDS.flatMap((backend) => [
  ...modelCases(backend, `fast-${SMALL.tileSizePx}`, SMALL),
  // The fast preset at its own tile: the headline row (ours in the page against PyTorch on the same threads).
  ...modelCases(backend, `fast-${FAST_UNET.tileSizePx}`, FAST_UNET),
  ...modelCases(backend, 'paper-572', PAPER_UNET),
  predictCase(backend, 512),
  predictCase(backend, 2048),
]);
