import { borderPx, validInputSizesPx } from '../../geometry/tileGeometry';
import type { Normalisation } from '../../image/normaliseImage';
import type { ModelMetadata } from '../../model/modelMetadata';
import { predictionMarginPx } from '../../predict/choosePredictionTile';
import type { PackageAuthor, PackageInfo } from './packageInfo';

/** bioimage.io's model format this package follows (the JSON Schema's `format_version` constant). */
export const BIOIMAGEIO_FORMAT_VERSION = '0.5.7';
export const INPUT_TENSOR_ID = 'input';
export const OUTPUT_TENSOR_ID = 'probabilities';
/** bioimage.io's default epsilon; ours is none (a constant channel maps to 0), a difference below 1e-6 of the range. */
const PREPROCESSING_EPSILON = 1e-6;

export interface PackageFile { readonly source: string; readonly sha256: string }

export interface RdfFiles {
  readonly documentation: string;
  readonly cover: string;
  readonly testInput: PackageFile;
  readonly testOutput: PackageFile;
  readonly tensorflowJs: PackageFile;
  readonly onnx: PackageFile;
}

export interface RdfInput {
  readonly info: PackageInfo;
  readonly metadata: ModelMetadata;
  readonly files: RdfFiles;
  readonly tensorflowJsVersion: string;
  readonly onnxOpset: number;
  /** ISO 8601. */
  readonly timestamp: string;
}

/**
 * The package's rdf.yaml as plain data (format 0.5): axes b, c, y, x; the studio's normalisation as
 * bioimage.io preprocessing; the tile geometry of the padding: a valid net takes sizes min + n * step
 * and returns each side shorter by twice its border (a negative output offset); a same net keeps
 * the size and marks a halo, the margin the studio itself discards at tile edges.
 */
export function bioimageioRdf({ info, metadata, files, tensorflowJsVersion, onnxOpset, timestamp }: RdfInput): Record<string, unknown> {
  const config = metadata.architecture;
  const geometry = tileGeometry(metadata);
  const spaceInput = (id: 'y' | 'x') => ({ type: 'space', id, size: { min: geometry.minPx, step: geometry.stepPx } });
  const spaceOutput = (id: 'y' | 'x') => ({
    type: 'space', id,
    size: { tensor_id: INPUT_TENSOR_ID, axis_id: id, offset: geometry.outputOffsetPx },
    ...(geometry.haloPx > 0 ? { halo: geometry.haloPx } : {}),
  });
  const authors = info.authors.map(authorEntry);
  return {
    format_version: BIOIMAGEIO_FORMAT_VERSION,
    type: 'model',
    name: info.name.trim(),
    description: info.description.trim(),
    authors,
    license: info.license,
    cite: [{ text: 'Ronneberger, O., Fischer, P., Brox, T. U-Net: Convolutional Networks for Biomedical Image Segmentation. MICCAI 2015.', doi: '10.1007/978-3-319-24574-4_28' }],
    tags: [...new Set(['unet', 'segmentation', '2d', 'unet-studio', ...(info.tags ?? [])])],
    documentation: files.documentation,
    covers: [files.cover],
    timestamp,
    inputs: [{
      id: INPUT_TENSOR_ID,
      description: metadata.normalisation.kind === 'percentile' && metadata.normalisation.minRange
        ? 'raw image, any value range (normalised by the preprocessing; the studio also limits the stretch: README.md)'
        : 'raw image, any value range (normalised by the preprocessing)',
      axes: [{ type: 'batch' }, { type: 'channel', channel_names: inputChannelNames(config.inputChannels) }, spaceInput('y'), spaceInput('x')],
      test_tensor: files.testInput,
      data: { type: 'float32' },
      preprocessing: [{ id: 'ensure_dtype', kwargs: { dtype: 'float32' } }, normalisationStep(metadata.normalisation), { id: 'ensure_dtype', kwargs: { dtype: 'float32' } }],
    }],
    outputs: [{
      id: OUTPUT_TENSOR_ID,
      description: 'per-class probabilities (softmax over the channel axis)',
      axes: [{ type: 'batch' }, { type: 'channel', channel_names: classChannelNames(metadata.classNames) }, spaceOutput('y'), spaceOutput('x')],
      test_tensor: files.testOutput,
      data: { type: 'float32', range: [0, 1] },
    }],
    weights: {
      tensorflow_js: { source: files.tensorflowJs.source, sha256: files.tensorflowJs.sha256, tensorflow_version: tensorflowJsVersion, authors, comment: 'Trained in U-Net Studio (TensorFlow.js); ends in a softmax layer.' },
      onnx: { source: files.onnx.source, sha256: files.onnx.sha256, opset_version: onnxOpset, parent: 'tensorflow_js', comment: 'Converted by U-Net Studio\'s own exporter.' },
    },
    config: { unet_studio: metadata },
  };
}

export interface PackageTileGeometry {
  /** Smallest input side and the step between valid sides. */
  readonly minPx: number;
  readonly stepPx: number;
  /** Output side = input side + this (negative: the border a valid net consumes). */
  readonly outputOffsetPx: number;
  /** Output pixels to discard at each edge of a tile (same nets: zero-padding artefacts). */
  readonly haloPx: number;
}

export function tileGeometry(metadata: ModelMetadata): PackageTileGeometry {
  const config = metadata.architecture;
  const stepPx = 2 ** config.depth; // valid sizes of both paddings step by the pooling grid
  if (config.padding === 'valid') {
    const [minPx] = validInputSizesPx(config, 1, 4096);
    return { minPx: minPx as number, stepPx, outputOffsetPx: -2 * borderPx(config), haloPx: 0 };
  }
  const haloPx = predictionMarginPx(config, config.tileSizePx);
  // The smallest tile that keeps some output once the halo is cut from both sides.
  return { minPx: 2 * haloPx + stepPx, stepPx, outputOffsetPx: 0, haloPx };
}

function normalisationStep(normalisation: Normalisation): Record<string, unknown> {
  // Per image and channel, as the studio: statistics over y and x of each sample.
  if (normalisation.kind === 'percentile') {
    return { id: 'scale_range', kwargs: { axes: ['y', 'x'], min_percentile: normalisation.lowPercent, max_percentile: normalisation.highPercent, eps: PREPROCESSING_EPSILON } };
  }
  return { id: 'zero_mean_unit_variance', kwargs: { axes: ['y', 'x'], eps: PREPROCESSING_EPSILON } };
}

function inputChannelNames(channels: number): string[] {
  if (channels === 1) return ['intensity'];
  if (channels === 3) return ['red', 'green', 'blue'];
  return Array.from({ length: channels }, (_, c) => `channel${c}`);
}

/** Class names as identifiers (letters, digits, underscores; unique), since bioimage.io requires them. */
export function classChannelNames(classNames: readonly string[]): string[] {
  const used = new Set<string>();
  return classNames.map((raw, k) => {
    let name = raw.normalize('NFKD').replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
    if (!/^[A-Za-z]/.test(name)) name = `class${k}${name ? `_${name}` : ''}`;
    while (used.has(name)) name = `${name}_${k}`;
    used.add(name);
    return name;
  });
}

function authorEntry(author: PackageAuthor): Record<string, string> {
  return {
    name: author.name.trim(),
    ...(author.affiliation ? { affiliation: author.affiliation } : {}),
    ...(author.orcid ? { orcid: author.orcid } : {}),
    ...(author.githubUser ? { github_user: author.githubUser } : {}),
  };
}
