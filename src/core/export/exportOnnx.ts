import type * as tf from '@tensorflow/tfjs';
import { encodeOnnxModel } from './encodeOnnxModel';
import type { OnnxGraphOptions } from './layerGraphToOnnx';
import { layerGraphToOnnx } from './layerGraphToOnnx';
import { probabilityModel } from './probabilityModel';
import { readLayerGraph } from './readLayerGraph';

/**
 * Opset 13 (ONNX 1.8, 2020): every op we emit exists there in its current form, and older
 * runtimes (deepImageJ's, Fiji's) read it; IR version 7 is the one that opset shipped with.
 */
export const ONNX_OPSET = 13;
const ONNX_IR_VERSION = 7;

export interface OnnxExportOptions extends Partial<OnnxGraphOptions> {
  /** Free text stored in the file (shown by Netron), e.g. the studio's metadata as JSON. */
  readonly docString?: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

export const DEFAULT_ONNX_INPUT = 'input';
export const DEFAULT_ONNX_OUTPUT = 'probabilities';

/**
 * A trained tfjs network as the bytes of an .onnx file: input float32 [batch, channels, height, width],
 * output the class probabilities (softmax over the channels; the mean over a UNet++'s heads) in the same layout, by default.
 */
export function exportOnnx(model: tf.LayersModel, options: OnnxExportOptions = {}): Uint8Array {
  const outputName = options.outputName ?? DEFAULT_ONNX_OUTPUT;
  // Several heads (a deep-supervised UNet++): the graph ends in their softmax, averaged, as the studio predicts.
  const heads = model.outputs.length > 1;
  const graph = layerGraphToOnnx(readLayerGraph(heads ? probabilityModel(model, `${outputName}_mean`) : model), {
    inputName: options.inputName ?? DEFAULT_ONNX_INPUT,
    outputName,
    appendSoftmax: heads ? false : options.appendSoftmax ?? true,
  });
  return encodeOnnxModel({
    irVersion: ONNX_IR_VERSION,
    opsetVersion: ONNX_OPSET,
    producerName: 'U-Net Studio',
    producerVersion: '0.1.0',
    docString: options.docString ?? '',
    graph,
    metadata: options.metadata ?? {},
  });
}
