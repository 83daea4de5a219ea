import * as tf from '@tensorflow/tfjs';
import { StudioError } from '../../core/errors';
import type { PackageEntry } from '../../core/bioimageioImport/readForeignPackage';
import { conciseMessage } from '../../core/text/conciseMessage';
import { isolate } from '../../core/text/isolate';
import type { ForeignRunner } from './onnxRunner';

interface ManifestGroup { readonly paths: readonly string[]; readonly weights: readonly tf.io.WeightsManifestEntry[] }

/**
 * Third-party TensorFlow.js weights: a graph model (tf.loadGraphModel) or a layers model
 * (tf.loadLayersModel), as model.json's `format` says, loaded from the package's bytes (tf.io.fromMemory).
 */
export async function createTfjsRunner(modelJson: string, files: readonly PackageEntry[], packageName: string): Promise<ForeignRunner> {
  const fail = (why: string) => new StudioError('decode-failed', `${isolate(packageName)}: its TensorFlow.js weights could not be loaded (${why}).`);
  let json: { format?: string; modelTopology?: object; weightsManifest?: ManifestGroup[]; signature?: object; userDefinedMetadata?: Record<string, object>; modelInitializer?: object };
  try {
    json = JSON.parse(modelJson) as typeof json;
  } catch (error) {
    throw fail(`model.json is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const groups = json.weightsManifest ?? [];
  const shards = groups.flatMap((group) => group.paths.map((path) => {
    const name = path.split('/').pop() ?? path;
    const file = files.find((f) => f.name === name);
    if (!file) throw fail(`model.json names weights file ${isolate(name)}, which is not there`);
    return file.bytes;
  }));
  const weightData = new Uint8Array(shards.reduce((sum, s) => sum + s.byteLength, 0));
  shards.reduce((offset, shard) => (weightData.set(shard, offset), offset + shard.byteLength), 0);
  const artifacts: tf.io.ModelArtifacts = {
    ...(json.modelTopology ? { modelTopology: json.modelTopology } : {}),
    ...(json.format ? { format: json.format } : {}),
    ...(json.signature ? { signature: json.signature } : {}),
    ...(json.userDefinedMetadata ? { userDefinedMetadata: json.userDefinedMetadata } : {}),
    ...(json.modelInitializer ? { modelInitializer: json.modelInitializer } : {}),
    weightSpecs: groups.flatMap((group) => [...group.weights]),
    weightData: weightData.buffer,
  };
  let predict: (x: tf.Tensor) => Promise<tf.Tensor>;
  let dispose: () => void;
  try {
    if (json.format === 'graph-model') {
      const model = await tf.loadGraphModel(tf.io.fromMemory(artifacts));
      predict = async (x) => firstTensor(await model.executeAsync(x));
      dispose = () => model.dispose();
    } else {
      const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
      predict = async (x) => firstTensor(model.predict(x));
      dispose = () => model.dispose();
    }
  } catch (error) {
    throw fail(conciseMessage(error instanceof Error ? error.message : String(error)).text);
  }
  return {
    async run(input) {
      const x = tf.tensor(input.data, [...input.dims]);
      try {
        const y = await predict(x);
        const data = Float32Array.from(await y.data());
        const dims = [...y.shape];
        y.dispose();
        return { data, dims };
      } finally {
        x.dispose();
      }
    },
    async dispose() {
      dispose();
    },
  };
}

function firstTensor(output: tf.Tensor | tf.Tensor[] | tf.NamedTensorMap): tf.Tensor {
  if (output instanceof tf.Tensor) return output;
  const all = Array.isArray(output) ? output : Object.values(output);
  for (const extra of all.slice(1)) extra.dispose();
  return all[0] as tf.Tensor;
}
