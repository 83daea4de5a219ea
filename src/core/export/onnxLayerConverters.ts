import { StudioError } from '../errors';
import type { GraphLayer, LayerWeight } from './layerGraph';
import type { OnnxAttributeValue, OnnxInitializer, OnnxNode } from './onnxModel';
import { floatAttribute, intAttribute, intsAttribute } from './onnxModel';

/** What one tfjs layer becomes: ONNX nodes and constants, its output value named after the layer. */
export interface ConvertedLayer {
  readonly nodes: OnnxNode[];
  readonly initializers: OnnxInitializer[];
}

/** The layer, its input values' ONNX names, and the name its output value must carry. */
export interface LayerToConvert {
  readonly layer: GraphLayer;
  readonly inputs: readonly string[];
  readonly output: string;
}

/** Layers that do nothing at inference: their output is their input (no node). */
export const INFERENCE_IDENTITY_LAYERS: ReadonlySet<string> = new Set(['Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout']);

/** NHWC axis -> NCHW axis, for the axis attributes of channels-last layers on 4-D tensors. */
const NCHW_AXIS: Readonly<Record<number, number>> = { 0: 0, 1: 2, 2: 3, 3: 1, [-1]: 1 };

const INT64_MAX = 9223372036854775807n;

/** The converter for each tfjs layer class the export knows; anything else is refused by name. */
export const LAYER_CONVERTERS: Readonly<Record<string, (job: LayerToConvert) => ConvertedLayer>> = {
  Conv2D: convertConv2D,
  Conv2DTranspose: convertConv2DTranspose,
  BatchNormalization: convertBatchNormalization,
  ReLU: ({ layer, inputs, output }) => {
    const maxValue = layer.config.maxValue;
    if (maxValue !== null && maxValue !== undefined) throw unsupported(layer, 'a ReLU with a maximum value');
    return single({ opType: 'Relu', name: layer.name, inputs, outputs: [output] });
  },
  Activation: ({ layer, inputs, output }) => single(...activationNodes(layer, String(layer.config.activation), first(inputs, layer), output)),
  MaxPooling2D: ({ layer, inputs, output }) => {
    assertChannelsLast(layer);
    const attributes: Record<string, OnnxAttributeValue> = {
      kernel_shape: intsAttribute(pair(layer.config.poolSize, layer, 'poolSize')),
      strides: intsAttribute(pair(layer.config.strides ?? layer.config.poolSize, layer, 'strides')),
    };
    if (layer.config.padding === 'same') attributes.auto_pad = { kind: 'string', value: 'SAME_UPPER' }; // TF pads the extra pixel at the end too
    return single({ opType: 'MaxPool', name: layer.name, inputs, outputs: [output], attributes });
  },
  Cropping2D: convertCropping2D,
  UpSampling2D: convertUpSampling2D,
  Concatenate: ({ layer, inputs, output }) => single({ opType: 'Concat', name: layer.name, inputs, outputs: [output], attributes: { axis: intAttribute(nchwAxis(layer)) } }),
  Add: ({ layer, inputs, output }) => single({ opType: 'Sum', name: layer.name, inputs, outputs: [output] }),
  // A deep-supervised UNet++'s heads, averaged (probabilityModel).
  Average: ({ layer, inputs, output }) => single({ opType: 'Mean', name: layer.name, inputs, outputs: [output] }),
  Softmax: ({ layer, inputs, output }) => {
    const axis = Array.isArray(layer.config.axis) ? layer.config.axis : [layer.config.axis ?? -1];
    if (axis.length !== 1 || NCHW_AXIS[Number(axis[0])] !== 1) throw unsupported(layer, `a softmax over axis ${JSON.stringify(layer.config.axis)} (not the channels)`);
    return single({ opType: 'Softmax', name: layer.name, inputs, outputs: [output], attributes: { axis: intAttribute(1) } });
  },
};

function convertConv2D({ layer, inputs, output }: LayerToConvert): ConvertedLayer {
  assertChannelsLast(layer);
  const kernel = weight(layer, 'kernel');
  const [kh, kw] = kernel.shape as [number, number, number, number];
  const strides = pair(layer.config.strides, layer, 'strides');
  const dilations = pair(layer.config.dilationRate ?? 1, layer, 'dilationRate');
  const attributes: Record<string, OnnxAttributeValue> = { kernel_shape: intsAttribute([kh, kw]), strides: intsAttribute(strides), dilations: intsAttribute(dilations) };
  if (layer.config.padding === 'same' && strides.every((s) => s === 1)) {
    // TF's "same": total (k - 1) * d, the odd pixel at the end; explicit pads keep the model's size-independence.
    const [top, bottom] = splitPadding((kh - 1) * (dilations[0] as number));
    const [left, right] = splitPadding((kw - 1) * (dilations[1] as number));
    attributes.pads = intsAttribute([top, left, bottom, right]);
  } else if (layer.config.padding === 'same') {
    attributes.auto_pad = { kind: 'string', value: 'SAME_UPPER' };
  } else if (layer.config.padding !== 'valid') {
    throw unsupported(layer, `padding "${String(layer.config.padding)}"`);
  }
  return convolution('Conv', { layer, inputs, output }, kernel, attributes);
}

function convertConv2DTranspose({ layer, inputs, output }: LayerToConvert): ConvertedLayer {
  assertChannelsLast(layer);
  const kernel = weight(layer, 'kernel'); // [kh, kw, out, in]
  const [kh, kw] = kernel.shape as [number, number, number, number];
  const strides = pair(layer.config.strides, layer, 'strides');
  if (pair(layer.config.dilationRate ?? 1, layer, 'dilationRate').some((d) => d !== 1)) throw unsupported(layer, 'a dilated transposed convolution');
  // TF's output is in * s + max(k - s, 0) ("valid") or in * s ("same"); ONNX's is (in - 1) * s + k, so the two agree
  // for "valid" with k >= s and for "same" with k = s (the U-Net's 2x2 stride-2 up-conv).
  const agrees = layer.config.padding === 'valid' ? kh >= (strides[0] as number) && kw >= (strides[1] as number) : kh === strides[0] && kw === strides[1];
  if (!agrees) throw unsupported(layer, `a ${kh}x${kw} transposed convolution with strides ${strides.join('x')} and "${String(layer.config.padding)}" padding`);
  // ONNX's ConvTranspose weight is [in, out, kh, kw]: the same permutation as a conv's [kh, kw, in, out] -> [out, in, kh, kw].
  return convolution('ConvTranspose', { layer, inputs, output }, kernel, { kernel_shape: intsAttribute([kh, kw]), strides: intsAttribute(strides) });
}

/** A Conv or ConvTranspose node with its kernel (transposed to ONNX's layout), its bias if any, and its activation. */
function convolution(opType: 'Conv' | 'ConvTranspose', { layer, inputs, output }: LayerToConvert, kernel: LayerWeight, attributes: Record<string, OnnxAttributeValue>): ConvertedLayer {
  const initializers: OnnxInitializer[] = [{ name: `${layer.name}.kernel`, dims: oihwDims(kernel), data: kernelToOihw(kernel) }];
  const convInputs = [first(inputs, layer), `${layer.name}.kernel`];
  const bias = layer.weights.get('bias');
  if (bias) {
    initializers.push({ name: `${layer.name}.bias`, dims: [...bias.shape], data: bias.values });
    convInputs.push(`${layer.name}.bias`);
  }
  const activation = String(layer.config.activation ?? 'linear');
  const convOutput = activation === 'linear' ? output : `${layer.name}.preactivation`;
  const nodes = [{ opType, name: layer.name, inputs: convInputs, outputs: [convOutput], attributes }, ...activationNodes(layer, activation, convOutput, output)];
  return { nodes, initializers };
}

function convertBatchNormalization({ layer, inputs, output }: LayerToConvert): ConvertedLayer {
  if (nchwAxis(layer) !== 1) throw unsupported(layer, `batch norm over axis ${String(layer.config.axis)} (not the channels)`);
  const mean = weight(layer, 'moving_mean');
  const variance = weight(layer, 'moving_variance');
  const channels = mean.values.length;
  // center / scale off: tfjs has no beta / gamma; ONNX needs both, so 0 and 1.
  const gamma = layer.weights.get('gamma')?.values ?? new Float32Array(channels).fill(1);
  const beta = layer.weights.get('beta')?.values ?? new Float32Array(channels);
  const names = ['gamma', 'beta', 'moving_mean', 'moving_variance'].map((n) => `${layer.name}.${n}`);
  const initializers = [gamma, beta, mean.values, variance.values].map((data, i) => ({ name: names[i] as string, dims: [channels], data }));
  const epsilon = typeof layer.config.epsilon === 'number' ? layer.config.epsilon : 1e-3; // tfjs's default
  return {
    nodes: [{ opType: 'BatchNormalization', name: layer.name, inputs: [first(inputs, layer), ...names], outputs: [output], attributes: { epsilon: floatAttribute(epsilon) } }],
    initializers,
  };
}

function convertCropping2D({ layer, inputs, output }: LayerToConvert): ConvertedLayer {
  assertChannelsLast(layer);
  const cropping = layer.config.cropping;
  const [[top, bottom], [left, right]] = (Array.isArray(cropping) && cropping.every(Array.isArray) ? cropping : [[cropping, cropping], [cropping, cropping]]) as [[number, number], [number, number]];
  // Ends counted from the far edge, so the exported model crops the same at every input size.
  const end = (crop: number) => (crop > 0 ? BigInt(-crop) : INT64_MAX);
  const constants = { starts: [BigInt(top), BigInt(left)], ends: [end(bottom), end(right)], axes: [2n, 3n] };
  const initializers = Object.entries(constants).map(([key, values]) => ({ name: `${layer.name}.${key}`, dims: [2], data: BigInt64Array.from(values) }));
  return {
    nodes: [{ opType: 'Slice', name: layer.name, inputs: [first(inputs, layer), ...initializers.map((c) => c.name)], outputs: [output] }],
    initializers,
  };
}

function convertUpSampling2D({ layer, inputs, output }: LayerToConvert): ConvertedLayer {
  assertChannelsLast(layer);
  if ((layer.config.interpolation ?? 'nearest') !== 'nearest') throw unsupported(layer, `"${String(layer.config.interpolation)}" upsampling`);
  const [sh, sw] = pair(layer.config.size, layer, 'size');
  const scales = { name: `${layer.name}.scales`, dims: [4], data: Float32Array.from([1, 1, sh as number, sw as number]) };
  // Nearest with floor on asymmetric coordinates repeats each pixel, as tfjs does.
  const attributes: Record<string, OnnxAttributeValue> = {
    mode: { kind: 'string', value: 'nearest' },
    coordinate_transformation_mode: { kind: 'string', value: 'asymmetric' },
    nearest_mode: { kind: 'string', value: 'floor' },
  };
  return { nodes: [{ opType: 'Resize', name: layer.name, inputs: [first(inputs, layer), '', scales.name], outputs: [output], attributes }], initializers: [scales] };
}

function activationNodes(layer: GraphLayer, activation: string, input: string, output: string): OnnxNode[] {
  const opType = ({ relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh', softmax: 'Softmax', linear: 'Identity' } as Record<string, string>)[activation];
  if (!opType) throw unsupported(layer, `the activation "${activation}"`);
  if (activation === 'linear' && input === output) return [];
  const attributes = opType === 'Softmax' ? { axis: intAttribute(1) } : undefined; // tfjs's softmax runs over the channels
  return [{ opType, name: `${layer.name}.${activation}`, inputs: [input], outputs: [output], ...(attributes ? { attributes } : {}) }];
}

/** tfjs kernel [kh, kw, a, b] -> ONNX [b, a, kh, kw] (a conv's [out, in, kh, kw]; a transposed conv's [in, out, kh, kw]). */
export function kernelToOihw(kernel: LayerWeight): Float32Array {
  const [kh, kw, a, b] = kernel.shape as [number, number, number, number];
  const out = new Float32Array(kernel.values.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let i = 0; i < a; i++) {
        for (let o = 0; o < b; o++) out[((o * a + i) * kh + y) * kw + x] = kernel.values[((y * kw + x) * a + i) * b + o] as number;
      }
    }
  }
  return out;
}

function oihwDims(kernel: LayerWeight): number[] {
  const [kh, kw, a, b] = kernel.shape as [number, number, number, number];
  return [b, a, kh, kw];
}

function splitPadding(total: number): [number, number] {
  const before = Math.floor(total / 2);
  return [before, total - before];
}

function nchwAxis(layer: GraphLayer): number {
  const axis = Number(layer.config.axis ?? -1);
  const mapped = NCHW_AXIS[axis];
  if (mapped === undefined) throw unsupported(layer, `axis ${axis} on a 4-D tensor`);
  return mapped;
}

function pair(value: unknown, layer: GraphLayer, what: string): number[] {
  const values = typeof value === 'number' ? [value, value] : value;
  if (!Array.isArray(values) || values.length !== 2 || !values.every((v) => Number.isInteger(v) && v > 0)) {
    throw unsupported(layer, `${what} ${JSON.stringify(value)}`);
  }
  return values as number[];
}

function assertChannelsLast(layer: GraphLayer): void {
  const format = layer.config.dataFormat ?? 'channelsLast';
  if (format !== 'channelsLast') throw unsupported(layer, `data format "${String(format)}"`);
}

function weight(layer: GraphLayer, name: string): LayerWeight {
  const found = layer.weights.get(name);
  if (!found) throw new StudioError('unsupported-format', `Cannot export layer ${layer.name} (${layer.className}) to ONNX: it has no ${name} weight.`);
  return found;
}

function first(inputs: readonly string[], layer: GraphLayer): string {
  if (inputs.length !== 1 || inputs[0] === undefined) throw unsupported(layer, `${inputs.length} inputs where one is expected`);
  return inputs[0];
}

function single(...nodes: OnnxNode[]): ConvertedLayer {
  return { nodes, initializers: [] };
}

function unsupported(layer: GraphLayer, what: string): StudioError {
  return new StudioError('unsupported-format', `Cannot export layer ${layer.name} (${layer.className}) to ONNX: ${what} is not supported.`);
}
