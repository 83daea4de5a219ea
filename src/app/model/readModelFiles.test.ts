import { zipSync } from 'fflate';
import { StudioError } from '../../core/errors';
import { describe, expect, it } from 'vitest';
import { withoutIsolates } from '../../testing/plainText';
import { readModelFiles, type NamedBytes } from './readModelFiles';

const text = (s: string) => new TextEncoder().encode(s);
const modelJsonOf = (weightsManifest: unknown) => JSON.stringify({ format: 'layers-model', modelTopology: { class_name: 'Model' }, weightsManifest });
const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);

// One group of float32 [2,3] (24 B) + int32 [2] (8 B) + bool [3] (3 B) + a uint8-quantized float [4] (4 B) = 39 bytes,
// split over two files; a second group of one float32 [1,1] (4 B).
const manifest = [
  {
    paths: ['./part-a.bin', 'weights/part-b.bin'],
    weights: [
      { name: 'k', shape: [2, 3], dtype: 'float32' },
      { name: 'i', shape: [2], dtype: 'int32' },
      { name: 'b', shape: [3], dtype: 'bool' },
      { name: 'q', shape: [4], dtype: 'float32', quantization: { dtype: 'uint8', scale: 1, min: 0 } },
    ],
  },
  { paths: ['./part%20c.bin'], weights: [{ name: 'h', shape: [1, 1], dtype: 'float32' }] },
];
const partA = bytes(30, 1);
const partB = bytes(9, 2);
const partC = bytes(4, 3);

/** Checks the words of the message; the names in it are isolated (U+2068 ... U+2069), which the words leave out. */
function expectStudioError(files: NamedBytes[], message: string | RegExp): void {
  let thrown: unknown = null;
  try {
    readModelFiles(files);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(StudioError);
  const words = withoutIsolates((thrown as Error).message);
  if (typeof message === 'string') expect(words).toContain(message);
  else expect(words).toMatch(message);
}

describe('readModelFiles', () => {
  it('returns model.json and the weight files in manifest order, whatever order they were chosen in', () => {
    const json = modelJsonOf(manifest);
    const { modelJson, weights } = readModelFiles([
      { name: 'part c.bin', bytes: partC },
      { name: 'part-b.bin', bytes: partB },
      { name: 'model.metadata.json', bytes: text('{"format":"unet-studio/1"}') },
      { name: 'model.json', bytes: text(json) },
      { name: 'part-a.bin', bytes: partA },
    ]);
    expect(modelJson).toBe(json);
    expect(weights.map((w) => Array.from(new Uint8Array(w)))).toEqual([Array.from(partA), Array.from(partB), Array.from(partC)]);
  });

  it('reads a zip, alone or next to loose files, and accepts a model.json under another name', () => {
    const json = modelJsonOf(manifest.slice(1));
    const zip = zipSync({ 'export/my-net.json': text(json), 'export/part c.bin': partC });
    const { modelJson, weights } = readModelFiles([{ name: 'unet-model.zip', bytes: zip }]);
    expect(modelJson).toBe(json);
    expect(Array.from(new Uint8Array(weights[0]!))).toEqual([3, 3, 3, 3]);
    const mixed = readModelFiles([{ name: 'w.zip', bytes: zipSync({ 'model.json': text(json) }) }, { name: 'part c.bin', bytes: partC }]);
    expect(mixed.weights).toHaveLength(1);
  });

  it('names the weights file that was not chosen', () => {
    expectStudioError(
      [{ name: 'model.json', bytes: text(modelJsonOf([{ paths: ['./model.weights.bin'], weights: [] }])) }],
      'model.json names weights file model.weights.bin, which was not among the chosen files: choose it together with model.json.',
    );
  });

  it('gives both byte counts when the weights do not fit the manifest', () => {
    const json = modelJsonOf([{ paths: ['./model.weights.bin'], weights: [{ name: 'mask', shape: [2, 2839], dtype: 'bool' }] }]);
    expectStudioError(
      [{ name: 'model.json', bytes: text(json) }, { name: 'model.weights.bin', bytes: bytes(1234, 0) }],
      'model.weights.bin: the weights are 1,234 bytes but the manifest needs 5,678 (per model.json)',
    );
    // Across two files of one group: 30 + 8 bytes held, 39 needed.
    expectStudioError(
      [{ name: 'model.json', bytes: text(modelJsonOf(manifest)) }, { name: 'part-a.bin', bytes: partA }, { name: 'part-b.bin', bytes: bytes(8, 2) }, { name: 'part c.bin', bytes: partC }],
      'part-a.bin, part-b.bin: the weights are 38 bytes but the manifest needs 39',
    );
  });

  it('says when model.json is not JSON, or not a tfjs layers model', () => {
    expectStudioError([{ name: 'model.json', bytes: text('{"format": ') }], /^model\.json is not valid JSON \(/);
    expectStudioError([{ name: 'model.json', bytes: new Uint8Array([0xff, 0xfe, 0x00]) }], /^model\.json is not valid JSON \(it is not even UTF-8 text\)/);
    expectStudioError([{ name: 'model.json', bytes: text('{"format":"layers-model","modelTopology":{}}') }],
      'model.json is not a TensorFlow.js layers model.json: it has no weightsManifest.');
    expectStudioError([{ name: 'model.json', bytes: text('[1, 2]') }],
      'model.json is not a TensorFlow.js layers model.json: it has no modelTopology or weightsManifest.');
    expectStudioError([{ name: 'model.json', bytes: text(modelJsonOf([{ weights: [] }])) }], /weightsManifest group 1 lacks its "paths" or "weights" list/);
    expectStudioError([{ name: 'model.json', bytes: text(modelJsonOf([{ paths: ['./w.bin'], weights: [{ name: 'vocab', shape: [2], dtype: 'string' }] }])) }, { name: 'w.bin', bytes: bytes(2, 0) }],
      "model.json: 'vocab' is stored as string, which U-Net Studio cannot read.");
  });

  it('says what is missing from a zip or a selection without model.json', () => {
    const zip = zipSync({ 'model.weights.bin': bytes(4, 0), 'model.metadata.json': text('{}') });
    expectStudioError([{ name: 'unet-model.zip', bytes: zip }],
      'unet-model.zip holds no model.json (it holds model.weights.bin, model.metadata.json): zip model.json together with its weights file(s).');
    expectStudioError([{ name: 'empty.zip', bytes: zipSync({}) }], /^empty\.zip holds no model\.json \(it is empty\)/);
    expectStudioError([{ name: 'model.weights.bin', bytes: bytes(4, 0) }], /^No model\.json among the chosen files \(model\.weights\.bin\)/);
    expectStudioError([], /^No files were chosen/);
    expectStudioError([{ name: 'a.json', bytes: text('{}') }, { name: 'b.json', bytes: text('{}') }], /Several model files were chosen \(a\.json, b\.json\)/);
  });

  it('opens a studio bioimage.io package (rdf.yaml naming a nested zip of TensorFlow.js weights), and refuses one without them, saying so', () => {
    const tfjs = zipSync({ 'model.json': text(modelJsonOf(manifest)), 'part-a.bin': partA, 'part-b.bin': partB, 'part c.bin': partC });
    const rdf = 'format_version: 0.5.7\ntype: model\nweights:\n  tensorflow_js:\n    source: tensorflow_js_weights.zip\n  onnx:\n    source: weights.onnx\n';
    const pack = zipSync({ 'rdf.yaml': text(rdf), 'tensorflow_js_weights.zip': tfjs, 'weights.onnx': bytes(10, 0), 'test_input.npy': bytes(8, 0) });
    const read = readModelFiles([{ name: 'my-model.bioimage.io.zip', bytes: pack }]);
    expect(read.modelFileName).toBe('model.json');
    expect(read.weights.map((w) => new Uint8Array(w).byteLength)).toEqual([30, 9, 4]); // the three weight files, in manifest order

    const onnxOnly = zipSync({ 'rdf.yaml': text('type: model\nweights:\n  onnx:\n    source: weights.onnx\n'), 'weights.onnx': bytes(10, 0) });
    expectStudioError([{ name: 'other.zip', bytes: onnxOnly }], /^other\.zip is a U-Net Studio package without its TensorFlow\.js weights/);
    const missing = zipSync({ 'rdf.yaml': text(rdf), 'weights.onnx': bytes(10, 0) });
    expectStudioError([{ name: 'cut.zip', bytes: missing }], /^cut\.zip: its rdf\.yaml names TensorFlow\.js weights tensorflow_js_weights\.zip, which the package does not hold/);
  });
});
