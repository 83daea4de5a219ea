import { StudioError } from '../errors';
import { isolate } from '../text/isolate';
import type { ForeignModelSpec } from './foreignModelSpec';
import { readProcessingOps } from './readProcessingOps';
import { axisRefusal, readInputAxes, readOutputAxes } from './readTensorAxes';

type Rec = Record<string, unknown>;
const rec = (value: unknown): Rec => (typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Rec : {});
const text = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);

/** The weights the studio can run, in the order it prefers them. */
const RUNNABLE_WEIGHTS = ['onnx', 'tensorflow_js'] as const;

/**
 * A third-party model's rdf.yaml (already parsed), format 0.5 or the common 0.4 layout, checked for
 * what the studio can run: a model, one input, 2D, one channel, ONNX or TensorFlow.js weights, and
 * only processing it can apply faithfully. Refusals are StudioErrors that say what failed and what to do.
 */
export function readForeignRdf(rdf: unknown, packageName: string): ForeignModelSpec {
  const root = rec(rdf);
  const name = text(root.name) ?? packageName;
  if (root.type !== 'model') {
    throw axisRefusal(packageName, `its rdf.yaml describes a ${text(root.type) ?? 'resource without a type'}, not a model`, 'Choose a bioimage.io model package.');
  }
  const formatVersion = text(root.format_version) ?? String(root.format_version ?? '');
  const version04 = formatVersion.startsWith('0.4');
  if (!version04 && !formatVersion.startsWith('0.5')) {
    throw axisRefusal(packageName, `its rdf.yaml is in format ${isolate(formatVersion || 'unknown')}, and the studio reads formats 0.4 and 0.5`, 'Update the package with bioimageio.core (bioimageio update-format).');
  }
  const inputs = Array.isArray(root.inputs) ? root.inputs.map(rec) : [];
  if (inputs.length !== 1) throw axisRefusal(packageName, `it takes ${inputs.length} input tensors`);
  const outputs = Array.isArray(root.outputs) ? root.outputs.map(rec) : [];
  if (outputs.length === 0) throw axisRefusal(packageName, 'it lists no output tensor', 'Choose a complete model package.');
  const tensorId = (tensor: Rec, fallback: string) => text(version04 ? tensor.name : tensor.id) ?? fallback;
  const inputTensor = inputs[0] as Rec;
  const outputTensor = outputs[0] as Rec;
  const inputId = tensorId(inputTensor, 'input');
  const outputId = tensorId(outputTensor, 'output');

  const assumptions: string[] = [];
  if (outputs.length > 1) assumptions.push(`It has ${outputs.length} outputs; the studio uses the first, ${isolate(outputId)}.`);
  const inputAxes = readInputAxes(inputTensor, version04, packageName, inputId);
  const outputAxes = readOutputAxes(outputTensor, version04, packageName, outputId, inputAxes);
  const preprocessing = readProcessingOps(inputTensor.preprocessing, { packageName, tensorId: inputId, where: 'input', assumptions });
  const postprocessing = readProcessingOps(outputTensor.postprocessing, { packageName, tensorId: outputId, where: 'output', assumptions });

  const classNames = outputAxes.channels === 1
    ? ['background', outputAxes.channelNames?.[0] ?? 'foreground']
    : Array.from({ length: outputAxes.channels }, (_, k) => outputAxes.channelNames?.[k] ?? `class ${k}`);
  assumptions.unshift(outputAxes.channels === 1
    ? `Its one output channel is read as the probability of ${isolate(classNames[1] as string)}: 2 classes, background and ${isolate(classNames[1] as string)}.`
    : `Its ${outputAxes.channels} output channels are read as the probabilities of ${outputAxes.channels} classes (${classNames.map(isolate).join(', ')}).`);
  const range = version04 ? outputTensor.data_range : rec(outputTensor.data).range;
  const probabilityRange = Array.isArray(range) && range[0] === 0 && range[1] === 1;
  if (!postprocessing.some((op) => op.kind === 'sigmoid' || op.kind === 'softmax') && !probabilityRange) {
    assumptions.push('Its output has no sigmoid or softmax step and no 0..1 range: its values are taken as probabilities as they are, clipped to 0..1.');
  }

  return {
    name,
    formatVersion,
    weights: runnableWeights(root.weights, packageName),
    input: { id: inputId, axes: inputAxes.axes, sizes: inputAxes.sizes, preprocessing },
    output: { id: outputId, axes: outputAxes.axes, channels: outputAxes.channels, haloPx: outputAxes.haloPx, offsetPx: outputAxes.offsetPx, postprocessing },
    classNames,
    assumptions,
    testTensors: testTensors(root, inputTensor, outputTensor, version04),
  };
}

function runnableWeights(weights: unknown, packageName: string): ForeignModelSpec['weights'] {
  const entries = rec(weights);
  for (const kind of RUNNABLE_WEIGHTS) {
    const source = text(rec(entries[kind]).source);
    if (source) return { kind, source };
  }
  const held = Object.keys(entries);
  throw new StudioError('unsupported-format', `${isolate(packageName)} has no ONNX or TensorFlow.js weights (it has ${held.length > 0 ? held.map(isolate).join(', ') : 'none'}): ` +
    'the studio runs those two. Convert the weights with bioimageio.core, or run the model with a tool that reads them.');
}

function testTensors(root: Rec, input: Rec, output: Rec, version04: boolean): ForeignModelSpec['testTensors'] {
  const first = (list: unknown) => (Array.isArray(list) ? text(list[0]) : null);
  const inputPath = version04 ? first(root.test_inputs) : text(rec(input.test_tensor).source);
  const outputPath = version04 ? first(root.test_outputs) : text(rec(output.test_tensor).source);
  return inputPath && outputPath ? { input: inputPath, output: outputPath } : null;
}
