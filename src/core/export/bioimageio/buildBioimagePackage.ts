import * as tf from '@tensorflow/tfjs';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { stringify } from 'yaml';
import { StudioError } from '../../errors';
import type { PixelArray } from '../../image/imageStack';
import { normaliseImage } from '../../image/normaliseImage';
import { withoutStretchLimit } from '../../image/stretchLimit';
import { encodePng } from '../../io/encodePng';
import type { ModelMetadata } from '../../model/modelMetadata';
import { saveModelFiles } from '../../model/modelFiles';
import { headProbabilities } from '../../model/headOutputs';
import { rebuildForTileSize } from '../../model/rebuildForTileSize';
import { cropMirrored } from '../../sampling/cropMirrored';
import type { Raster } from '../../sampling/raster';
import { exportOnnx, ONNX_OPSET } from '../exportOnnx';
import { probabilityModel } from '../probabilityModel';
import { bioimageioRdf, INPUT_TENSOR_ID, OUTPUT_TENSOR_ID, tileGeometry } from './bioimageioRdf';
import { encodeNpy } from './encodeNpy';
import { assertPackageInfo, type PackageInfo } from './packageInfo';
import { packageReadme } from './packageReadme';
import { renderCover } from './renderCover';
import { classPalette } from '../../image/classColours';
import { sha256Hex } from './sha256';

export const PACKAGE_FILES = {
  rdf: 'rdf.yaml',
  documentation: 'README.md',
  cover: 'cover.png',
  testInput: 'test_input.npy',
  testOutput: 'test_output.npy',
  tensorflowJs: 'tensorflow_js_weights.zip',
  onnx: 'weights.onnx',
} as const;

export interface BioimagePackageRequest {
  /** The trained network (logits out), as the engine holds it. */
  readonly model: tf.LayersModel;
  readonly metadata: ModelMetadata;
  readonly info: PackageInfo;
  /** A raw slice to cut the test tile from: its centre, mirrored where it is too small. */
  readonly testImage: RawImage;
  /** The classes' colours on the cover ('#rrggbb' or null: the default), as the canvas draws them; absent: every default. */
  readonly classColours?: readonly (string | null)[];
  /** ISO 8601; defaults to now. */
  readonly timestamp?: string;
}

/** One slice as loaded: any pixel type, channels interleaved. */
export interface RawImage {
  readonly data: PixelArray;
  readonly width: number;
  readonly height: number;
  readonly channels: number;
}

export interface BioimagePackage {
  readonly zip: Uint8Array;
  /** rdf.yaml as data (what the zip holds as YAML). */
  readonly rdf: Record<string, unknown>;
}

/**
 * A bioimage.io model package (format 0.5) as one zip: rdf.yaml, README.md, a cover, the test
 * tensors computed here by tfjs, the studio's own model files (ending in a softmax, so every
 * weights entry returns probabilities) and the ONNX export converted from them.
 */
export async function buildBioimagePackage(request: BioimagePackageRequest): Promise<BioimagePackage> {
  const { model, metadata, info, testImage } = request;
  assertPackageInfo(info);
  const config = metadata.architecture;
  if (testImage.channels !== config.inputChannels) {
    throw new StudioError('shape-mismatch', `bioimage.io package: the test image has ${testImage.channels} channel(s), the network takes ${config.inputChannels}.`);
  }
  const geometry = tileGeometry(metadata);
  const testPx = Math.max(config.tileSizePx, geometry.minPx); // both valid sizes
  const crop = cropMirrored(asRaster(testImage), { x: Math.floor((testImage.width - testPx) / 2), y: Math.floor((testImage.height - testPx) / 2), width: testPx, height: testPx });
  // As the package's scale_range says (no stretch limit: bioimage.io cannot express one), so any tool reproduces the test output.
  const normalised = normaliseImage(crop.data as PixelArray, crop.channels, withoutStretchLimit(metadata.normalisation));

  const probabilitiesModel = probabilityModel(model, OUTPUT_TENSOR_ID);
  const testModel = model.inputs[0]?.shape[1] === testPx ? null : rebuildForTileSize(model, config, testPx).model;
  let probabilities: tf.Tensor4D;
  try {
    probabilities = tf.tidy(() => headProbabilities(testModel ?? model, tf.tensor4d(normalised, [1, testPx, testPx, crop.channels])));
  } finally {
    testModel?.dispose();
  }
  const [, outputPx, , classes] = probabilities.shape;
  const probabilitiesNhwc = probabilities.dataSync() as Float32Array;
  probabilities.dispose();

  const tfjsFiles = await saveModelFiles(probabilitiesModel, metadata);
  const entries: Record<string, Uint8Array> = {
    [PACKAGE_FILES.tensorflowJs]: zipSync({ 'model.json': strToU8(tfjsFiles.modelJson), [tfjsFiles.weightsFileName]: [new Uint8Array(tfjsFiles.weights), { level: 0 }] }),
    [PACKAGE_FILES.onnx]: exportOnnx(model, { inputName: INPUT_TENSOR_ID, outputName: OUTPUT_TENSOR_ID, docString: info.description, metadata: { unet_studio: JSON.stringify(metadata) } }),
    [PACKAGE_FILES.testInput]: encodeNpy(channelsFirst(Float32Array.from(crop.data), testPx, crop.channels), [1, crop.channels, testPx, testPx]),
    [PACKAGE_FILES.testOutput]: encodeNpy(channelsFirst(probabilitiesNhwc, outputPx, classes), [1, classes, outputPx, outputPx]),
    [PACKAGE_FILES.cover]: encodePng(renderCover({ image: normalised, sizePx: testPx, channels: crop.channels, probabilities: probabilitiesNhwc, outputPx, classes, palette: classPalette(request.classColours ?? [], classes) })),
    [PACKAGE_FILES.documentation]: strToU8(packageReadme(info, metadata, geometry)),
  };
  const file = (source: string) => ({ source, sha256: sha256Hex(entries[source] as Uint8Array) });
  const rdf = bioimageioRdf({
    info,
    metadata,
    files: {
      documentation: PACKAGE_FILES.documentation,
      cover: PACKAGE_FILES.cover,
      testInput: file(PACKAGE_FILES.testInput),
      testOutput: file(PACKAGE_FILES.testOutput),
      tensorflowJs: file(PACKAGE_FILES.tensorflowJs),
      onnx: file(PACKAGE_FILES.onnx),
    },
    tensorflowJsVersion: tf.version.tfjs,
    onnxOpset: ONNX_OPSET,
    timestamp: request.timestamp ?? new Date().toISOString(),
  });
  // Plain YAML: no anchors or aliases for the repeated authors, which some readers of the format mishandle.
  const zippable: Zippable = { [PACKAGE_FILES.rdf]: strToU8(stringify(rdf, { aliasDuplicateObjects: false })) };
  // Weights, tensors and PNGs barely compress; deflating them would only cost time.
  for (const [name, bytes] of Object.entries(entries)) zippable[name] = [bytes, { level: name.endsWith('.md') ? 6 : 0 }];
  return { zip: zipSync(zippable), rdf };
}

/** The crop reads every pixel type; the two the sampling code does not name are widened to float32 first. */
function asRaster(image: RawImage): Raster {
  const { data } = image;
  return { ...image, data: data instanceof Uint32Array || data instanceof Int8Array ? Float32Array.from(data) : data };
}

/** [side, side, channels] -> [channels, side, side]. */
function channelsFirst(values: Float32Array, sidePx: number, channels: number): Float32Array {
  const out = new Float32Array(values.length);
  const plane = sidePx * sidePx;
  for (let i = 0; i < plane; i++) for (let c = 0; c < channels; c++) out[c * plane + i] = values[i * channels + c] as number;
  return out;
}
