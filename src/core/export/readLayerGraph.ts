import type * as tf from '@tensorflow/tfjs';
import { StudioError } from '../errors';
import type { GraphLayer, LayerGraph, LayerWeight } from './layerGraph';

/** One inbound connection as tfjs's Container.getConfig() writes it: [layer name, node index, tensor index, kwargs]. */
type InboundRef = [string, number, number, unknown];
interface SerialisedLayer { name: string; className: string; config: Record<string, unknown>; inboundNodes: InboundRef[][] }
interface SerialisedModel { name: string; layers: SerialisedLayer[]; inputLayers: [string, number, number][]; outputLayers: [string, number, number][] }

/**
 * Reads a functional LayersModel through tfjs's own serialisation (the connections model.json
 * stores) plus each layer's current weights. Refuses graphs the ONNX export cannot name by layer:
 * several inputs or outputs, a layer applied twice, a layer with several outputs.
 */
export function readLayerGraph(model: tf.LayersModel): LayerGraph {
  const config = model.getConfig() as unknown as SerialisedModel;
  const [inputRef, ...moreInputs] = config.inputLayers;
  const [outputRef, ...moreOutputs] = config.outputLayers;
  if (!inputRef || !outputRef || moreInputs.length > 0 || moreOutputs.length > 0) {
    throw unsupported(`the model has ${config.inputLayers.length} inputs and ${config.outputLayers.length} outputs; the export handles one of each`);
  }
  const byName = new Map(model.layers.map((layer) => [layer.name, layer]));
  const layers: GraphLayer[] = [];
  let input: LayerGraph['input'] | null = null;
  for (const serialised of config.layers) {
    const layer = byName.get(serialised.name);
    if (!layer) throw unsupported(`layer ${serialised.name} is in the model's config but not in its layers`);
    if (serialised.className === 'InputLayer') {
      input = { name: serialised.name, shape: (layer.batchInputShape ?? []) as (number | null)[] };
      continue;
    }
    if (serialised.inboundNodes.length !== 1) {
      throw unsupported(`layer ${serialised.name} is applied ${serialised.inboundNodes.length} times (shared layers are not exported)`);
    }
    const refs = serialised.inboundNodes[0] ?? [];
    for (const [from, nodeIndex, tensorIndex] of refs) {
      if (nodeIndex !== 0 || tensorIndex !== 0) throw unsupported(`layer ${serialised.name} reads output ${tensorIndex} of node ${nodeIndex} of ${from}`);
    }
    layers.push({ name: serialised.name, className: serialised.className, config: serialised.config, inputs: refs.map(([from]) => from), weights: layerWeights(layer) });
  }
  if (!input || input.name !== inputRef[0]) throw unsupported('the model\'s input layer was not found among its layers');
  return { name: config.name, input, layers, output: { name: outputRef[0], shape: model.outputs[0]?.shape ?? [] } };
}

/** Weights by short name ('kernel', 'moving_mean'): tfjs suffixes variable names to keep them unique per process. */
function layerWeights(layer: tf.layers.Layer): Map<string, LayerWeight> {
  const values = layer.getWeights();
  const weights = new Map<string, LayerWeight>();
  layer.weights.forEach((variable, i) => {
    const tensor = values[i];
    if (!tensor) return;
    const shortName = (variable.originalName.split('/').pop() ?? variable.originalName).replace(/_\d+$/, '');
    weights.set(shortName, { shape: tensor.shape, values: Float32Array.from(tensor.dataSync()) });
  });
  return weights;
}

function unsupported(reason: string): StudioError {
  return new StudioError('unsupported-format', `Cannot export this network to ONNX: ${reason}.`);
}
