import * as tf from '@tensorflow/tfjs';
import { StudioError } from '../errors';
import { assertFiniteWeights, assertWeightsFitArchitecture } from './assertFiniteWeights';
import { buildUNet } from './buildUNet';
import type { ModelMetadata } from './modelMetadata';
import { readModelMetadata } from './readModelMetadata';

/** A saved model as files: the standard tfjs layers format, loadable by tf.loadLayersModel. */
export interface ModelFiles {
  /** model.json text: topology, weights manifest (pointing at `weightsFileName`), metadata. */
  readonly modelJson: string;
  readonly weightsFileName: string;
  readonly weights: ArrayBuffer;
  /** The same metadata as in model.json, as its own small file. */
  readonly metadataJson: string;
}

const METADATA_KEY = 'unetStudio';

/** Saves a model to files in memory (the worker hands them to the page, which downloads or stores them). */
export async function saveModelFiles(model: tf.LayersModel, metadata: ModelMetadata, baseName = 'model'): Promise<ModelFiles> {
  model.setUserDefinedMetadata({ [METADATA_KEY]: metadata as unknown as object });
  const weightsFileName = `${baseName}.weights.bin`;
  let files: ModelFiles | null = null;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const weights = tf.io.concatenateArrayBuffers(artifacts.weightData instanceof ArrayBuffer ? [artifacts.weightData] : (artifacts.weightData ?? []));
    const modelJson = {
      format: artifacts.format,
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy,
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: [`./${weightsFileName}`], weights: artifacts.weightSpecs ?? [] }],
      userDefinedMetadata: artifacts.userDefinedMetadata,
    };
    files = { modelJson: JSON.stringify(modelJson), weightsFileName, weights, metadataJson: JSON.stringify(metadata, null, 2) };
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength } };
  }));
  if (!files) throw new Error('tfjs did not hand over the model artifacts.');
  return files;
}

/**
 * Loads a model saved by saveModelFiles (or any tfjs layers model.json whose metadata we wrote),
 * rebuilt by our own builder so layer names and behaviour are ours, with the saved weights.
 * Everything is checked before a model is handed back (metadata field by field, the weights'
 * size, shapes and values: a model whose weights hold NaN cannot predict); on any failure
 * whatever was built is disposed and a StudioError says what is wrong. The caller swaps last.
 */
export async function loadModelFiles(modelJsonText: string, weightFiles: readonly ArrayBuffer[]): Promise<{ model: tf.LayersModel; metadata: ModelMetadata }> {
  let parsed: { modelTopology?: object; weightsManifest?: { weights: tf.io.WeightsManifestEntry[] }[]; userDefinedMetadata?: unknown };
  try {
    parsed = JSON.parse(modelJsonText) as typeof parsed;
  } catch {
    throw new StudioError('decode-failed', 'The model.json file is not valid JSON.');
  }
  if (!parsed || !parsed.modelTopology || !Array.isArray(parsed.weightsManifest)) {
    throw new StudioError('unsupported-format', 'This model.json is not a TensorFlow.js layers model (it has no modelTopology or weightsManifest).');
  }
  const metadata = readModelMetadata(parsed.userDefinedMetadata);
  const weightSpecs = parsed.weightsManifest.flatMap((group) => (Array.isArray(group?.weights) ? group.weights : []));
  if (!weightSpecs.every((spec) => spec.dtype === 'float32' && Array.isArray(spec.shape) && !spec.quantization)) {
    throw new StudioError('unsupported-format', 'model.json stores weights other than plain float32 (quantized or integer): U-Net Studio reads float32 weights only.');
  }
  const weightData = tf.io.concatenateArrayBuffers([...weightFiles]);
  const expectedBytes = weightSpecs.reduce((sum, spec) => sum + spec.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (weightData.byteLength !== expectedBytes) {
    throw new StudioError('decode-failed', `The weights file has ${weightData.byteLength} bytes, but model.json describes ${expectedBytes}. Pick the .weights.bin saved with this model.json.`);
  }
  assertWeightsFitArchitecture(metadata.architecture, weightData.byteLength); // before building anything
  assertFiniteWeights([weightData]);
  // Rebuild with our builder so the model is exactly ours (names, init-free), then copy the weights.
  const model = buildUNet(metadata.architecture);
  try {
    const built = model.weights.map((w) => w.shape);
    if (built.length !== weightSpecs.length || built.some((shape, i) => shape.join('x') !== weightSpecs[i]?.shape.join('x'))) {
      throw new StudioError('unsupported-format', `model.json's weights (${weightSpecs.length} arrays) do not fit the network its metadata describes ` +
        `(${built.length} arrays of other shapes): the file was edited or not saved by U-Net Studio.`);
    }
    const values = tf.io.decodeWeights(weightData, weightSpecs);
    try {
      model.setWeights(weightSpecs.map((spec) => values[spec.name] as tf.Tensor));
    } finally {
      tf.dispose(Object.values(values));
    }
    return { model, metadata };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
