import { StudioError } from '../errors';
import type { LayerGraph } from './layerGraph';
import type { OnnxGraph, OnnxInitializer, OnnxNode } from './onnxModel';
import { intAttribute } from './onnxModel';
import { INFERENCE_IDENTITY_LAYERS, LAYER_CONVERTERS } from './onnxLayerConverters';

export interface OnnxGraphOptions {
  readonly inputName: string;
  readonly outputName: string;
  /** Append a softmax over the channels: the studio's networks end in logits, users want probabilities. */
  readonly appendSoftmax: boolean;
}

/**
 * The layer graph as an ONNX graph in NCHW (bioimage.io's b, c, y, x): the input is channels-first,
 * every kernel is transposed once here, and batch and spatial sizes stay symbolic, so the file
 * runs on any tile the network accepts, not only the size tfjs built it for.
 */
export function layerGraphToOnnx(graph: LayerGraph, options: OnnxGraphOptions): OnnxGraph {
  const valueOf = new Map<string, string>([[graph.input.name, options.inputName]]);
  const nodes: OnnxNode[] = [];
  const initializers: OnnxInitializer[] = [];
  for (const layer of graph.layers) {
    const inputs = layer.inputs.map((from) => {
      const value = valueOf.get(from);
      if (value === undefined) throw new StudioError('unsupported-format', `Cannot export to ONNX: layer ${layer.name} reads ${from}, which comes later or not at all.`);
      return value;
    });
    if (INFERENCE_IDENTITY_LAYERS.has(layer.className)) {
      valueOf.set(layer.name, inputs[0] as string);
      continue;
    }
    const convert = LAYER_CONVERTERS[layer.className];
    if (!convert) {
      throw new StudioError('unsupported-format', `Cannot export layer ${layer.name} to ONNX: its class ${layer.className} has no ONNX conversion ` +
        `(known: ${Object.keys(LAYER_CONVERTERS).join(', ')}).`);
    }
    const converted = convert({ layer, inputs, output: layer.name });
    nodes.push(...converted.nodes);
    initializers.push(...converted.initializers);
    valueOf.set(layer.name, layer.name);
  }
  const last = valueOf.get(graph.output.name);
  if (last === undefined) throw new StudioError('unsupported-format', `Cannot export to ONNX: the output layer ${graph.output.name} was not converted.`);
  nodes.push(options.appendSoftmax
    ? { opType: 'Softmax', name: 'probabilities', inputs: [last], outputs: [options.outputName], attributes: { axis: intAttribute(1) } }
    : { opType: 'Identity', name: 'output', inputs: [last], outputs: [options.outputName] });
  const channels = (shape: readonly (number | null)[], what: string) => {
    const c = shape[3];
    if (shape.length !== 4 || typeof c !== 'number') throw new StudioError('unsupported-format', `Cannot export to ONNX: the ${what} is not a 4-D image batch (shape ${JSON.stringify(shape)}).`);
    return c;
  };
  return {
    name: graph.name,
    nodes,
    initializers,
    inputs: [{ name: options.inputName, dims: ['batch', channels(graph.input.shape, 'input'), 'height', 'width'] }],
    outputs: [{ name: options.outputName, dims: ['batch', channels(graph.output.shape, 'output'), 'output_height', 'output_width'] }],
  };
}
