/**
 * A third-party bioimage.io package (scripts/make_bioimageio_import_fixtures.py: a PyTorch net unlike the
 * studio's, exported to ONNX, with test tensors computed by PyTorch in float64) through the code the page's
 * engine runs: the core reads and checks rdf.yaml (0.5 and 0.4), onnxruntime-web runs the weights, and
 *  - the package's own test output is reproduced from its test input (one pass, as `bioimageio test`);
 *  - the studio's tiled prediction of the test input as a slice (preprocessing over the slice, tiles,
 *    halo, blending) equals PyTorch's output wherever the net's receptive field stays inside the image
 *    (PyTorch zero-pads at the image edge, the studio mirrors: the edge band differs by design);
 *  - each refusal (3 channels, 3D, an unknown preprocessing step, missing or damaged weights) says what
 *    failed and leaves the session's model as it was.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../core/export/bioimageio/sha256';
import { foreignPredictionTiling } from '../../core/bioimageioImport/foreignTiling';
import { foreignTileModel, preprocessSlice } from '../../core/bioimageioImport/foreignTileModel';
import { readForeignPackage, type PackageEntry } from '../../core/bioimageioImport/readForeignPackage';
import { predictTiled } from '../../core/predict/predictTiled';
import { dequantiseProbabilities } from '../../core/predict/quantiseProbabilities';
import { PAPER_UNET } from '../../core/model/unetConfig';
import { FAST_TRAINING, type TrainingSettings } from '../../core/train/trainingSettings';
import { useWasmBackend } from '../../testUtils/wasmBackend';
import { readNpy } from '../../testUtils/readNpy';
import { EngineSession } from '../EngineSession';
import type { EngineEvent } from '../protocol';
import { createOnnxRunner } from './onnxRunner';

const FIXTURES = path.resolve(import.meta.dirname, '../../core/bioimageioImport/fixtures');
const TOLERANCE = 1e-4;
/** The net's reach measured by the generating script (its halo): pixels closer to the edge see PyTorch's zero padding. */
const REACH_PX = 16;

function packageFiles(variant: '0.5' | '0.4'): PackageEntry[] {
  const folder = path.join(FIXTURES, `thirdparty-${variant}`);
  return readdirSync(folder).map((name) => ({ name, bytes: new Uint8Array(readFileSync(path.join(folder, name))) }));
}

/** The parts of rdf.yaml the refusal cases edit. */
interface EditableRdf {
  inputs: { axes: string | Record<string, unknown>[]; preprocessing: { id?: string; kwargs: Record<string, unknown> }[] }[];
  weights: Record<string, { source?: string; sha256?: string }>;
}
const firstInput = (rdf: EditableRdf) => rdf.inputs[0]!;
const axesList = (rdf: EditableRdf) => firstInput(rdf).axes as Record<string, unknown>[];

/** The same package with its rdf.yaml edited (and other files replaced or removed). */
function edited(variant: '0.5' | '0.4', edit: (rdf: EditableRdf) => void, files: Record<string, Uint8Array | null> = {}): PackageEntry[] {
  return packageFiles(variant).flatMap((entry) => {
    if (entry.name === 'rdf.yaml') {
      const rdf = parse(new TextDecoder().decode(entry.bytes)) as EditableRdf;
      edit(rdf);
      return [{ name: entry.name, bytes: new TextEncoder().encode(stringify(rdf)) }];
    }
    if (entry.name in files) {
      const replaced = files[entry.name];
      return replaced ? [{ name: entry.name, bytes: replaced }] : [];
    }
    return [entry];
  });
}

const testTensors = (variant: '0.5' | '0.4') => ({
  input: readNpy(new Uint8Array(readFileSync(path.join(FIXTURES, `thirdparty-${variant}`, 'test_input.npy')))),
  output: readNpy(new Uint8Array(readFileSync(path.join(FIXTURES, `thirdparty-${variant}`, 'test_output.npy')))),
});

/** max |ours - PyTorch| over the pixels at least `insetPx` from every edge; ours is (y, x, class) with class 1 the foreground. */
function foregroundDifference(ours: Float32Array, expected: Float32Array, height: number, width: number, insetPx: number): number {
  let max = 0;
  for (let y = insetPx; y < height - insetPx; y++) {
    for (let x = insetPx; x < width - insetPx; x++) max = Math.max(max, Math.abs((ours[(y * width + x) * 2 + 1] as number) - (expected[y * width + x] as number)));
  }
  return max;
}

function collector() {
  const events: EngineEvent[] = [];
  return { events, post: (event: EngineEvent) => void events.push(event) };
}

beforeAll(async () => {
  await useWasmBackend();
});

describe('a third-party bioimage.io package (PyTorch-made, ONNX weights)', () => {
  for (const variant of ['0.5', '0.4'] as const) {
    it(`reads the ${variant} rdf.yaml and reproduces the package's test output through onnxruntime-web`, async () => {
      const session = new EngineSession(() => 'wasm');
      const summary = await session.importForeignModel(packageFiles(variant), `thirdparty-${variant}.zip`);
      console.info(`[parity] ${variant} package, test output reproduced (one pass, onnxruntime-web vs PyTorch float64): max |difference| ${summary.testMaxAbsDifference?.toExponential(2)}`);
      expect(summary.testMaxAbsDifference).not.toBeNull();
      expect(summary.testMaxAbsDifference as number).toBeLessThan(TOLERANCE);
      expect(summary.classNames).toEqual(['background', variant === '0.5' ? 'nucleus' : 'foreground']);
      expect(summary.assumptions[0]).toMatch(/one output channel is read as the probability/);
    });
  }

  it('predicts the test input as a slice, tiled by the rdf (halo, tile rule), as PyTorch does away from the edges', async () => {
    const { input, output } = testTensors('0.5');
    const [height, width] = input.shape.slice(2) as [number, number];
    const session = new EngineSession(() => 'wasm');
    session.putSlice({ id: 's', width, height, channels: 1, dtype: 'float32', pixels: input.values, classes: null, instances: null });
    await session.importForeignModel(packageFiles('0.5'), 'thirdparty-0.5.zip');
    const { events, post } = collector();
    await session.predict('p', ['s'], false, post);
    const done = events.find((e) => e.type === 'predict/slice-done');
    if (done?.type !== 'predict/slice-done') throw new Error('no slice-done');
    expect(done.numClasses).toBe(2);
    // The page's map is 16-bit (1/131070 of rounding, well inside the tolerance).
    const studio = new Float32Array(width * height * 2);
    dequantiseProbabilities(done.quantised, 2, studio, 0);
    const inside = foregroundDifference(studio, output.values, height, width, REACH_PX);
    const everywhere = foregroundDifference(studio, output.values, height, width, 0);
    console.info(`[parity] studio tiled prediction (${done.tilePx} px tiles) vs PyTorch: max |difference| ${inside.toExponential(2)} beyond ${REACH_PX} px of the edge, ${everywhere.toExponential(2)} at the mirrored edge`);
    expect(inside).toBeLessThan(TOLERANCE);
    expect(events.filter((e) => e.type === 'predict/tile').length).toBeGreaterThan(0);
  });

  it('blends many small tiles to the same result (core predictTiled over the ONNX tile model)', async () => {
    const { input, output } = testTensors('0.5');
    const [height, width] = input.shape.slice(2) as [number, number];
    const pkg = readForeignPackage(packageFiles('0.5'), 'thirdparty-0.5.zip');
    if (pkg.weights.kind !== 'onnx') throw new Error('expected ONNX weights');
    const runner = await createOnnxRunner(pkg.weights.bytes, 'thirdparty-0.5.zip');
    try {
      const tiling = foreignPredictionTiling(pkg.spec, width, height, 64);
      if (!tiling) throw new Error('no tiling');
      let tiles = 0;
      const result = await predictTiled(foreignTileModel(pkg.spec, runner.run), preprocessSlice(pkg.spec, input.values, width, height), { ...tiling, onTile: () => void tiles++ });
      const inside = foregroundDifference(result.data, output.values, height, width, REACH_PX);
      console.info(`[parity] ${tiles} tiles of ${tiling.inputTilePx} px (halo ${tiling.marginPx}, overlap ${tiling.overlapPx}): max |difference| ${inside.toExponential(2)} beyond ${REACH_PX} px of the edge`);
      expect(tiles).toBeGreaterThan(4);
      expect(inside).toBeLessThan(TOLERANCE);
    } finally {
      await runner.dispose();
    }
  });
});

describe('refusals say what failed and change nothing', () => {
  const cases: { name: string; files: () => PackageEntry[]; message: RegExp }[] = [
    { name: 'a 3-channel input', files: () => edited('0.5', (rdf) => { axesList(rdf)[1]!.channel_names = ['red', 'green', 'blue']; }), message: /takes 3 input channels.*one-channel \(grey\) images only/ },
    { name: 'a 3D model', files: () => edited('0.5', (rdf) => { axesList(rdf).splice(2, 0, { type: 'space', id: 'z', size: { min: 8, step: 8 } }); }), message: /3D model \(axes bczyx.*2D slices/ },
    { name: 'a 0.4 3D model', files: () => edited('0.4', (rdf) => { firstInput(rdf).axes = 'bczyx'; }), message: /3D model/ },
    { name: 'an unknown preprocessing step', files: () => edited('0.5', (rdf) => { firstInput(rdf).preprocessing = [{ id: 'scale_mean_variance', kwargs: { reference_tensor: 'raw' } }]; }), message: /the preprocessing step .*scale_mean_variance.* of input .*raw.* is not one the studio can apply faithfully/ },
    { name: 'per-dataset statistics (0.4)', files: () => edited('0.4', (rdf) => { firstInput(rdf).preprocessing[0]!.kwargs.mode = 'per_dataset'; }), message: /statistics of the whole training data set/ },
    { name: 'a missing weights file', files: () => edited('0.5', () => undefined, { 'weights.onnx': null }), message: /names ONNX weights .*weights\.onnx.*, which the package does not hold/ },
    { name: 'weights that do not match their SHA-256', files: () => edited('0.5', () => undefined, { 'weights.onnx': packageFiles('0.5').find((f) => f.name === 'weights.onnx')!.bytes.slice(0, 5000) }), message: /does not match the SHA-256/ },
    {
      name: 'a corrupt ONNX file (its hash updated to match)',
      files: () => {
        const garbage = new TextEncoder().encode('this is not an ONNX protobuf, only text that claims to be one');
        return edited('0.5', (rdf) => { rdf.weights.onnx!.sha256 = sha256Hex(garbage); }, { 'weights.onnx': garbage });
      },
      message: /onnxruntime could not load its ONNX weights/,
    },
    { name: 'PyTorch weights only', files: () => edited('0.5', (rdf) => { rdf.weights = { pytorch_state_dict: { source: 'weights.pt' } }; }), message: /has no ONNX or TensorFlow\.js weights \(it has .*pytorch_state_dict/ },
  ];

  it.each(cases)('refuses $name', async ({ files, message }) => {
    const { input } = testTensors('0.5');
    const [height, width] = input.shape.slice(2) as [number, number];
    const session = new EngineSession(() => 'wasm');
    session.putSlice({ id: 's', width, height, channels: 1, dtype: 'float32', pixels: input.values, classes: null, instances: null });
    await session.importForeignModel(packageFiles('0.5'), 'good.zip');
    const before = collector();
    await session.predict('p1', ['s'], false, before.post);

    await expect(session.importForeignModel(files(), 'bad\u202Egnp.zip')).rejects.toThrow(message);
    // The name is isolated, its direction control shown.
    await expect(session.importForeignModel(files(), 'bad\u202Egnp.zip')).rejects.toThrow('\u2068bad[U+202E]gnp.zip\u2069');

    const after = collector();
    await session.predict('p2', ['s'], false, after.post);
    const probabilities = (events: EngineEvent[]) => (events.find((e) => e.type === 'predict/slice-done') as Extract<EngineEvent, { type: 'predict/slice-done' }>).quantised;
    expect(Array.from(probabilities(after.events))).toEqual(Array.from(probabilities(before.events)));
  });

  it('refuses to train or export a third-party model, saying why', async () => {
    const session = new EngineSession(() => 'wasm');
    await session.importForeignModel(packageFiles('0.5'), 'thirdparty-0.5.zip');
    const settings: TrainingSettings = { ...FAST_TRAINING, preset: 'custom', unet: { ...PAPER_UNET, depth: 2, baseChannels: 4, tileSizePx: 44 }, steps: 2 };
    expect(() => session.startTraining('t', settings, false, () => undefined)).toThrow(/predict only: training needs a studio model.*fresh weights/);
    await expect(session.exportModel(['background', 'nucleus'])).rejects.toThrow(/third-party package/);
  });
});
