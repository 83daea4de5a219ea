import type { ModelMetadata } from '../../model/modelMetadata';
import type { PackageInfo } from './packageInfo';
import type { PackageTileGeometry } from './bioimageioRdf';

/** The package's documentation (README.md): what the model is, how to run it, and how well it did. */
export function packageReadme(info: PackageInfo, metadata: ModelMetadata, geometry: PackageTileGeometry): string {
  const config = metadata.architecture;
  const { normalisation: scheme } = metadata;
  const normalisation = scheme.kind === 'percentile'
    ? `per image and channel, the ${scheme.lowPercent} and ${scheme.highPercent} percentiles map to 0 and 1 (not clipped)` +
      (scheme.minRange ? `. In U-Net Studio the distance between them is taken as at least ${scheme.minRange.map((v) => Number(v.toPrecision(6))).join(', ')} ` +
        '(per channel, raw units: the smallest of its training images with objects), so an empty field is not stretched to full contrast; ' +
        'bioimage.io\'s scale_range has no such limit, so tools that follow rdf.yaml stretch such images fully (the test tensors are normalised as rdf.yaml says)' : '')
    : 'per image and channel, minus the mean, divided by the standard deviation';
  const tiles = config.padding === 'valid'
    ? `valid convolutions: input sides of ${geometry.minPx} + n x ${geometry.stepPx} px; the output is ${-geometry.outputOffsetPx} px shorter per side (${-geometry.outputOffsetPx / 2} px of context used at each edge)`
    : `same padding: input sides of ${geometry.minPx} + n x ${geometry.stepPx} px; the output has the input's size, and ${geometry.haloPx} px at each tile edge (the halo) should be discarded when tiling`;
  const lines = [
    `# ${info.name.trim()}`,
    '',
    info.description.trim(),
    '',
    '## Model',
    '',
    `A U-Net (Ronneberger et al., 2015) trained in U-Net Studio: depth ${config.depth}, ${config.baseChannels} channels at the first level, ` +
      `${config.padding} padding${config.batchNorm ? ', batch norm' : ''}, ${config.inputChannels} input channel(s), ${config.numClasses} classes ` +
      `(${metadata.classNames.map((n, k) => `${k}: ${n}`).join(', ')}).`,
    '',
    `- Input: float32, axes batch, channel, y, x. Preprocessing: ${normalisation}.`,
    '- Output: the probability of each class (softmax over the channel axis), axes batch, channel, y, x.',
    `- Tiles: ${tiles}.`,
    '',
    '## Use',
    '',
    '- Fiji / deepImageJ: install the package from its zip (DeepImageJ Install Model, "Private model", the zip file), then run it on an open image with DeepImageJ Run. deepImageJ runs the ONNX weights.',
    '- Python: `bioimageio.core` loads the zip (`bioimageio.core.load_description("package.zip")`) and predicts with the ONNX weights (onnxruntime), tiling by the sizes above.',
    '- U-Net Studio: the tensorflow_js weights are the studio\'s own model files (model.json and weights) and can be imported there to predict or to train further.',
    '',
    '## Training',
    '',
    `${metadata.training.steps} steps with the ${metadata.training.preset} preset on ${metadata.training.backend}, tile ${metadata.tile.inputTilePx} px; ` +
      `final loss ${formatNumber(metadata.training.finalLoss)}, best validation loss ${formatNumber(metadata.training.bestValidationLoss)}. Saved ${metadata.training.savedAt}.`,
    '',
    '## Validation',
    '',
    ...validationSection(info),
    '',
  ];
  return lines.join('\n');
}

function validationSection(info: PackageInfo): string[] {
  if (info.validation.length === 0) return ['No validation scores were measured in the studio before this export.'];
  return [
    ...(info.validationNote ? [info.validationNote.trim(), ''] : []),
    '| score | value | measured on |',
    '| --- | --- | --- |',
    ...info.validation.map((s) => `| ${escapeCell(s.name)} | ${formatNumber(s.value)} | ${escapeCell(s.note ?? '')} |`),
  ];
}

function formatNumber(value: number | null): string {
  if (value === null) return 'not recorded';
  return Math.abs(value) >= 1e-3 || value === 0 ? value.toFixed(4) : value.toExponential(3);
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
