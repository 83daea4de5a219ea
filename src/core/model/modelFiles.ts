import * as tf from '@tensorflow/tfjs';
import { StudioError } from '../errors';
import { outputSizePx } from '../geometry/tileGeometry';
import { buildUNet } from './buildUNet';
import type { ModelMetadata } from './modelMetadata';
import { validateUNetConfig } from './unetConfig';

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
 */
export async function loadModelFiles(modelJsonText: string, weightFiles: readonly ArrayBuffer[]): Promise<{ model: tf.LayersModel; metadata: ModelMetadata }> {
  let parsed: { modelTopology?: object; weightsManifest?: { weights: tf.io.WeightsManifestEntry[] }[]; userDefinedMetadata?: Record<string, unknown> };
  try {
    parsed = JSON.parse(modelJsonText) as typeof parsed;
  } catch {
    throw new StudioError('decode-failed', 'The model.json file is not valid JSON.');
  }
  if (!parsed.modelTopology || !parsed.weightsManifest) {
    throw new StudioError('unsupported-format', 'This model.json is not a TensorFlow.js layers model (it has no modelTopology or weightsManifest).');
  }
  const metadata = parsed.userDefinedMetadata?.[METADATA_KEY] as ModelMetadata | undefined;
  if (!metadata || metadata.format !== 'unet-studio/1') {
    throw new StudioError('unsupported-format', 'This model.json was not saved by U-Net Studio (no unetStudio metadata), so its tile geometry and classes are unknown.');
  }
  validateUNetConfig(metadata.architecture);
  const weightSpecs = parsed.weightsManifest.flatMap((group) => group.weights);
  const weightData = tf.io.concatenateArrayBuffers([...weightFiles]);
  const expectedBytes = weightSpecs.reduce((sum, spec) => sum + spec.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (weightData.byteLength !== expectedBytes) {
    throw new StudioError('decode-failed', `The weights file has ${weightData.byteLength} bytes, but model.json describes ${expectedBytes}. Pick the .weights.bin saved with this model.json.`);
  }
  const loaded = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: parsed.modelTopology, weightSpecs, weightData }));
  // Rebuild with our builder so the model is exactly ours (names, init-free), then copy the weights.
  const model = buildUNet(metadata.architecture);
  model.setWeights(loaded.getWeights());
  loaded.dispose();
  if (outputSizePx(metadata.architecture.tileSizePx, metadata.architecture) !== metadata.tile.outputTilePx) {
    throw new StudioError('invalid-config', 'The model metadata\'s tile geometry does not match its architecture.');
  }
  return { model, metadata };
}
