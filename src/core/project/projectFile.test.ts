import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { StudioError } from '../errors';
import { decodeTiff } from '../io/decodeTiff';
import { PROJECT_FORMAT_VERSION } from './projectManifest';
import type { ProjectPredictionData, ProjectSliceData } from './projectSliceFiles';
import { readProjectFile } from './readProjectFile';
import type { ProjectContent } from './writeProjectFile';
import { writeProjectFile } from './writeProjectFile';
import { quantiseProbabilities } from '../predict/quantiseProbabilities';

function grey(): ProjectSliceData {
  return {
    id: 'g', name: 'cells-01.tif', width: 5, height: 3, channels: 1, dtype: 'uint8',
    pixels: Uint8Array.from({ length: 15 }, (_, i) => (i * 37) % 256),
    classes: Int32Array.from({ length: 15 }, (_, i) => (i % 3) - 1),
    instances: Int32Array.from({ length: 15 }, (_, i) => i % 4),
  };
}

function rgb(): ProjectSliceData {
  // Class 300: the labels need the uint16 file.
  return {
    id: 'c', name: 'colour.png', width: 2, height: 2, channels: 3, dtype: 'uint16',
    pixels: Uint16Array.from({ length: 12 }, (_, i) => 65535 - i * 4001), classes: Int32Array.of(-1, 0, 300, 2), instances: null,
  };
}

function float(): ProjectSliceData {
  return { id: 'f', name: 'float.tif', width: 2, height: 1, channels: 1, dtype: 'float32', pixels: Float32Array.of(Math.PI, -1e-3), classes: Int32Array.of(-1, -1), instances: null };
}

function predictionOf(pixels: number, k: number, fromCurrentModel: boolean): ProjectPredictionData {
  const probabilities = new Float32Array(pixels * k);
  for (let p = 0; p < pixels; p++) {
    let sum = 0;
    for (let c = 0; c < k; c++) sum += (probabilities[p * k + c] = 1 + Math.sin(p * 1.3 + c));
    for (let c = 0; c < k; c++) probabilities[p * k + c] = (probabilities[p * k + c] as number) / sum;
  }
  return { numClasses: k, quantised: quantiseProbabilities(probabilities, k, 0, pixels), instances: Int32Array.from({ length: pixels }, (_, i) => i % 3), instanceCount: 2, fromCurrentModel };
}

const model = { modelJson: '{"format":"layers-model"}', weightsFileName: 'model.weights.bin', weights: Uint8Array.from({ length: 99 }, (_, i) => i * 7).buffer, metadataJson: '{"format":"unet-studio/1"}' };

function content(): ProjectContent {
  const predictions: Record<string, ProjectPredictionData> = { g: predictionOf(15, 2, true), c: predictionOf(4, 3, false) };
  return {
    createdAt: '2026-01-02T03:04:05.000Z', classNames: ['background', 'cell', 'edge'], currentSliceId: 'c',
    slices: [grey(), rgb(), float()], predictionOf: (id) => predictions[id] ?? null, model,
    settings: { trainingChoices: { preset: 'tiny', steps: 3 } }, training: { losses: [{ step: 1, loss: 0.5 }], validation: [], bestStep: null },
  };
}

async function written(c: ProjectContent = content()): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let finals = 0;
  await writeProjectFile(c, (chunk, final) => { chunks.push(chunk); if (final) finals++; });
  expect(finals).toBe(1);
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) { out.set(chunk, at); at += chunk.length; }
  return out;
}

/** A manifest as parsed JSON, for a test to break. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any field may be set to anything here
type LooseManifest = Record<string, any>;

/** The zip's files, changed by `edit` (manifest as an object), zipped again. */
function tampered(zip: Uint8Array, edit: (files: Record<string, Uint8Array>, manifest: LooseManifest) => void): Uint8Array {
  const files = unzipSync(zip);
  const manifest = JSON.parse(strFromU8(files['manifest.json'] as Uint8Array)) as LooseManifest;
  edit(files, manifest);
  files['manifest.json'] = strToU8(JSON.stringify(manifest));
  return zipSync(files);
}

async function refusal(zip: Uint8Array, limits = {}): Promise<string> {
  try {
    await readProjectFile(zip, 'my-project.zip', limits);
  } catch (error) {
    expect(error).toBeInstanceOf(StudioError);
    return (error as Error).message;
  }
  throw new Error('the project file was accepted');
}

describe('project file', () => {
  it('round-trips images of any type and channels, labels (uint8 and uint16), instance maps, predictions, the model and the JSON', async () => {
    const zip = await written();
    const read = await readProjectFile(zip, 'my-project.zip');
    expect(read.manifest).toMatchObject({ format: 'unet-studio-project', formatVersion: PROJECT_FORMAT_VERSION, classNames: ['background', 'cell', 'edge'], currentSlice: 1 });
    const want = [grey(), rgb(), float()];
    for (const [i, { slice }] of read.slices.entries()) {
      const w = want[i] as ProjectSliceData;
      expect({ ...slice, pixels: [...slice.pixels], classes: [...slice.classes], instances: slice.instances ? [...slice.instances] : null })
        .toEqual({ ...w, pixels: [...w.pixels], classes: [...w.classes], instances: w.instances ? [...w.instances] : null });
      expect(slice.pixels.constructor).toBe(w.pixels.constructor);
    }
    for (const [i, k, current] of [[0, 2, true], [1, 3, false]] as const) {
      const got = read.slices[i]?.prediction as ProjectPredictionData;
      const expected = predictionOf(got.quantised.length / (k - 1), k, current);
      expect([got.numClasses, got.instanceCount, got.fromCurrentModel, [...got.instances]]).toEqual([k, 2, current, [...expected.instances]]);
      // The file's pages hold the quantised values exactly (one page per class, the page interleaves them).
      expect([...got.quantised]).toEqual([...expected.quantised]);
    }
    expect(read.slices[2]?.prediction).toBeNull();
    expect(read.model?.modelJson).toBe(model.modelJson);
    expect(read.model?.metadataJson).toBe(model.metadataJson);
    expect(new Uint8Array(read.model?.weights ?? new ArrayBuffer(0))).toEqual(new Uint8Array(model.weights));
    expect(read.settings).toEqual(content().settings);
    expect(read.training).toEqual(content().training);
  });

  it('writes files other programs open: the image as a TIFF page per channel, labels with 255 unlabelled', async () => {
    const files = unzipSync(await written());
    expect(Object.keys(files).sort()).toEqual([
      'manifest.json', 'model/model.json', 'model/model.metadata.json', 'model/model.weights.bin', 'settings.json',
      'slices/0001/image.tif', 'slices/0001/instances.tif', 'slices/0001/labels.tif', 'slices/0001/prediction-instances.tif', 'slices/0001/prediction.tif',
      'slices/0002/image.tif', 'slices/0002/labels.tif', 'slices/0002/prediction-instances.tif', 'slices/0002/prediction.tif',
      'slices/0003/image.tif', 'slices/0003/labels.tif', 'training.json',
    ]);
    const image = decodeTiff(files['slices/0002/image.tif'] as Uint8Array);
    expect([image.width, image.height, image.slices, image.channels, image.dtype]).toEqual([2, 2, 3, 1, 'uint16']);
    expect([...image.data.subarray(0, 4)]).toEqual([0, 3, 6, 9].map((i) => 65535 - i * 4001)); // page 1: the first channel
    const labels = decodeTiff(files['slices/0001/labels.tif'] as Uint8Array);
    expect([labels.dtype, ...labels.data.subarray(0, 4)]).toEqual(['uint8', 255, 0, 1, 255]);
    expect(decodeTiff(files['slices/0002/labels.tif'] as Uint8Array).dtype).toBe('uint16');
    expect(decodeTiff(files['slices/0002/prediction.tif'] as Uint8Array).slices).toBe(2);
  });

  it('refuses a zip without manifest.json, a corrupt zip, another format and a newer version, saying so', async () => {
    expect(await refusal(zipSync({ 'model.json': strToU8('{}') }))).toMatch(/my-project\.zip.* has no manifest\.json: it is not a U-Net Studio project file/);
    expect(await refusal(Uint8Array.of(1, 2, 3))).toMatch(/could not be read as a zip file/);
    const zip = await written();
    expect(await refusal(tampered(zip, (_, m) => { m.format = 'other'; }))).toMatch(/does not describe a U-Net Studio project/);
    expect(await refusal(tampered(zip, (_, m) => { m.formatVersion = PROJECT_FORMAT_VERSION + 1; }))).toMatch(/format version 2; this studio reads version 1/);
  });

  it('names the part that fails: a missing file, a wrong size, wrong pages, probabilities past 1, an object past the count', async () => {
    const zip = await written();
    expect(await refusal(tampered(zip, (files) => { delete files['slices/0002/labels.tif']; }))).toMatch(/lacks .*slices\/0002\/labels\.tif.*, named in its manifest\.json/);
    expect(await refusal(tampered(zip, (_, m) => { m.slices[0].width = 6; }))).toMatch(/cells-01\.tif.*slices\/0001\/image\.tif.* is 5×3 px .* the manifest says 6×3 px/);
    expect(await refusal(tampered(zip, (_, m) => { m.slices[1].channels = 1; }))).toMatch(/colour\.png.*image\.tif.* holds 3 page\(s\) of uint16; the manifest says 1 channel/);
    expect(await refusal(tampered(zip, (_, m) => { m.slices[1].prediction.numClasses = 2; }))).toMatch(/prediction\.tif.* holds 2 page\(s\) of uint16; a 2-class prediction has 1/);
    expect(await refusal(tampered(zip, (_, m) => { m.slices[0].prediction.instanceCount = 1; }))).toMatch(/prediction-instances\.tif.* has object 2; the manifest says 1 objects/);
    expect(await refusal(tampered(zip, (files) => { files['slices/0001/labels.tif'] = files['slices/0002/image.tif'] as Uint8Array; }))).toMatch(/labels\.tif.* is 2×2 px/);
  });

  it('refuses a manifest field of the wrong type or a path out of the zip, naming the field', async () => {
    const zip = await written();
    expect(await refusal(tampered(zip, (_, m) => { m.slices[0].height = '3'; }))).toMatch(/slices\[0\]\.height is not a whole number/);
    expect(await refusal(tampered(zip, (_, m) => { m.slices[0].image = '../../etc/passwd'; }))).toMatch(/slices\[0\]\.image .* is not a plain path inside the zip/);
    expect(await refusal(tampered(zip, (_, m) => { m.slices[1].id = 'g'; }))).toMatch(/two entries name the same slice id/);
    expect(await refusal(tampered(zip, (_, m) => { m.classNames = ['only']; }))).toMatch(/classNames lists 1 class/);
  });

  it('refuses a project past the memory limit before decoding a slice, naming the limit', async () => {
    expect(await refusal(await written(), { maxProjectPixels: 20 })).toBe('\u2068my-project.zip\u2069 holds 3 slices of 21 px in all; this page can hold at most 20 px at once (its memory limit).');
  });
});
