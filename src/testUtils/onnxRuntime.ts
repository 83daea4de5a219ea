import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web';
import { headProbabilities } from '../core/model/headOutputs';
import { gaussian } from '../core/random/gaussian';
import { mulberry32 } from '../core/random/mulberry32';

/** onnxruntime-web in Node: wasm, one thread (no worker threads inside vitest). */
export async function runOnnx(modelBytes: Uint8Array, inputName: string, input: Float32Array, dims: readonly number[]): Promise<{ data: Float32Array; dims: readonly number[] }> {
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(modelBytes);
  try {
    const outputs = await session.run({ [inputName]: new ort.Tensor('float32', input, dims) });
    const output = outputs[session.outputNames[0] as string];
    if (!output) throw new Error('onnxruntime returned no output');
    return { data: output.data as Float32Array, dims: output.dims };
  } finally {
    await session.release();
  }
}

/** The tfjs model's softmax probabilities, transposed to NCHW to compare with the ONNX output. */
export function tfjsProbabilitiesNchw(model: tf.LayersModel, inputNhwc: Float32Array, batch: number, sizePx: number, channels: number): Float32Array {
  return tf.tidy(() => {
    // As the studio predicts: the softmax, or the mean of a UNet++'s heads' softmax.
    return headProbabilities(model, tf.tensor4d(inputNhwc, [batch, sizePx, sizePx, channels])).transpose([0, 3, 1, 2]).dataSync() as Float32Array;
  });
}

export function nhwcToNchw(data: Float32Array, batch: number, height: number, width: number, channels: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let b = 0; b < batch; b++) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        for (let c = 0; c < channels; c++) out[((b * channels + c) * height + y) * width + x] = data[((b * height + y) * width + x) * channels + c] as number;
      }
    }
  }
  return out;
}

/**
 * Weights as training leaves them, not as initialised: kernels scaled unevenly, biases and batch
 * norm's beta off zero, gamma off one; running means and variances those of the activations they
 * normalise (as training makes them), each off by a little; the head scaled so logits spread over
 * a few units, as a trained net's do (random deep nets either saturate or vanish). An export that
 * drops a bias, mixes up mean and variance or a kernel's axes then shows.
 */
export function setTrainedLikeWeights(model: tf.LayersModel, seed: number): void {
  const normal = gaussian(mulberry32(seed));
  const uniform = mulberry32(seed + 1);
  const calibration = calibrationInput(model, seed);
  for (const layer of model.layers) {
    const byRole = new Map(layer.weights.map((v) => [(v.originalName.split('/').pop() ?? '').replace(/_\d+$/, ''), v]));
    const statistics = byRole.has('moving_mean') ? channelStatistics(model, layer, calibration) : null;
    for (const [role, variable] of byRole) {
      const old = variable.read().dataSync();
      const values = Float32Array.from(old, (v, i) => {
        switch (role) {
          case 'kernel': return v * (1 + 0.3 * normal());
          case 'bias': case 'beta': return 0.1 * normal();
          case 'gamma': return 0.7 + 0.6 * uniform();
          case 'moving_mean': return (statistics?.mean[i] ?? 0) + 0.05 * normal();
          case 'moving_variance': return (statistics?.variance[i] ?? 1) * (0.9 + 0.2 * uniform()) + 1e-3;
          default: throw new Error(`No trained-like value for weight ${variable.originalName}`);
        }
      });
      writeVariable(variable, values);
    }
  }
  scaleOutputLayer(model, calibration, 3);
  calibration.dispose();
}

function calibrationInput(model: tf.LayersModel, seed: number): tf.Tensor {
  const [, height, width, channels] = model.inputs[0]!.shape as number[];
  const uniform = mulberry32(seed + 2);
  return tf.tensor4d(Float32Array.from({ length: height! * width! * channels! }, () => uniform()), [1, height!, width!, channels!]);
}

/** Per-channel mean and variance of what `layer` receives, for this calibration input. */
function channelStatistics(model: tf.LayersModel, layer: tf.layers.Layer, input: tf.Tensor): { mean: Float32Array; variance: Float32Array } {
  const probe = tf.model({ inputs: model.inputs, outputs: layer.input as tf.SymbolicTensor });
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(probe.predict(input) as tf.Tensor, [0, 1, 2]);
    return { mean: mean.dataSync() as Float32Array, variance: variance.dataSync() as Float32Array };
  });
}

/** Scales the last weighted layer so the output's standard deviation is `targetStd`. */
function scaleOutputLayer(model: tf.LayersModel, input: tf.Tensor, targetStd: number): void {
  const std = tf.tidy(() => Math.sqrt(tf.moments(model.predict(input) as tf.Tensor).variance.dataSync()[0]!));
  const last = [...model.layers].reverse().find((layer) => layer.weights.length > 0);
  if (!last || !(std > 0)) return;
  for (const variable of last.weights) writeVariable(variable, Float32Array.from(variable.read().dataSync(), (v) => (v * targetStd) / std));
}

function writeVariable(variable: tf.LayerVariable, values: Float32Array): void {
  const tensor = tf.tensor(values, variable.shape as number[]); // a weight's shape has no unknown sizes
  variable.write(tensor); // the variable keeps its own reference
  tensor.dispose();
}
