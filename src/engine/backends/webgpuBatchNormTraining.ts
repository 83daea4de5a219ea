import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { BATCH_MOMENTS, BATCH_NORM_TRAINING_GRAD } from '../../core/model/batchNormInTraining';
import { allOutputsOrNone, kernelCalls, withTemporaries } from './convGradientsByMatmul';
import type { ElementwiseSpec } from './webgpuElementwise';
import { runElementwise } from './webgpuElementwise';

/**
 * Batch norm in training (core/model/batchNormInTraining.ts) on WebGPU: the batch's moments and the
 * gradient, each per-channel sum over positions in two levels (a chunk of at most ~512 positions per
 * thread, then the chunks), so no float32 sum runs long and nothing is transposed.
 *
 * The moments in four programs: partial sums of x, mean; partial sums of (x - mean)^2, variance.
 * tfjs's tf.moments transposes x to reduce it and takes a difference and a square besides.
 *
 * The gradient in four programs, where the same formula as ordinary ops takes 14 dispatches and 3 scalar
 * uploads a layer:
 *   1. partial sums of dy and dy * (x - mean) per channel over chunks of positions ([2, splits, C]),
 *   2. dOffset = the sum of the first partials, 3. dScale = the second's sum / sigma,
 *   4. dx = (dy - dOffset / n - xHat * dScale / n) * scale / sigma   (PyTorch's batch-norm backward).
 */

/**
 * WGSL for a compensated sum (Neumaier's): the float32 rounding of each addition is carried and added
 * back at the end. A channel's sum over ~1e5 positions of terms that cancel (dy, whose sum is dOffset)
 * was otherwise ~5e-5 off float64, five times tfjs's tree-shaped reduction.
 */
const SUM_DECLARE = 'var sum = 0.0; var carry = 0.0;';
const sumAdd = (term: string) => `let term = ${term}; let t = sum + term; carry += select((term - t) + sum, (sum - t) + term, abs(sum) >= abs(term)); sum = t;`;
const SUM_TOTAL = '(sum + carry)';

/** Most chunks per channel: the second level's loop. */
const MAX_SPLITS = 256;

/** x's channels and positions (x seen as [positions, channels]), and the chunks a per-channel sum takes. */
function channelLayout(x: TensorInfo) {
  const channels = x.shape[x.shape.length - 1] as number;
  const positions = x.shape.reduce((a, b) => a * b, 1) / channels;
  return { channels, positions, splits: Math.max(1, Math.min(MAX_SPLITS, Math.ceil(positions / 256))) };
}

/** Per (chunk, channel): the sum of x - centre (power 1) or of its square (power 2); centre is the mean, or 0. */
const momentPartials = (power: 1 | 2): ElementwiseSpec => ({
  key: `batchMomentPartials${power}`,
  inputNames: power === 1 ? ['x'] : ['x', 'mean'],
  uniformNames: [],
  body: `
    let channels = uniforms.outShape[1];
    let splits = uniforms.outShape[0];
    let c = index % channels;
    let split = index / channels;
    let positions = uniforms.xShape[0];
    let chunk = (positions + splits - 1) / splits;
    let end = min(split * chunk + chunk, positions);
    ${power === 1 ? 'let centre = 0.0;' : 'let centre = mean[c];'}
    ${SUM_DECLARE}
    for (var p = split * chunk; p < end; p++) {
      let d = x[p * channels + c] - centre;
      ${sumAdd(power === 1 ? 'd' : 'd * d')}
    }
    result[index] = ${SUM_TOTAL};`,
});

/** The partials' sum over chunks, divided by the count of positions. */
const momentFinish: ElementwiseSpec = {
  key: 'batchMomentFinish',
  inputNames: ['partials'],
  uniformNames: ['count'],
  body: `
    let splits = uniforms.partialsShape[0];
    let channels = uniforms.partialsShape[1];
    ${SUM_DECLARE}
    for (var s = 0; s < splits; s++) {
      ${sumAdd('partials[s * channels + index]')}
    }
    result[index] = ${SUM_TOTAL} / uniforms.count;`,
};

function batchMoments({ inputs, backend }: Parameters<KernelFunc>[0]): TensorInfo[] {
  const { x } = inputs as { x: TensorInfo };
  const gpu = backend as tf.KernelBackend;
  const calls = kernelCalls('webgpu', gpu, BATCH_MOMENTS);
  const { channels, positions, splits } = channelLayout(x);
  return withTemporaries(calls, (keep) => {
    const x2 = keep(calls.run('Reshape', { x }, { shape: [positions, channels] }));
    const sums = keep(runElementwise(gpu, momentPartials(1), { x: x2 }, [splits, channels], []));
    return allOutputsOrNone(calls, [
      () => runElementwise(gpu, momentFinish, { partials: sums }, [channels], [positions]),
      ([mean]) => {
        const squares = keep(runElementwise(gpu, momentPartials(2), { x: x2, mean: mean as TensorInfo }, [splits, channels], []));
        return runElementwise(gpu, momentFinish, { partials: squares }, [channels], [positions]);
      },
    ]);
  });
}

const partials: ElementwiseSpec = {
  key: 'batchNormGradPartials',
  inputNames: ['x', 'dy', 'mean'],
  uniformNames: [],
  body: `
    let channels = uniforms.outShape[2];
    let splits = uniforms.outShape[1];
    let c = index % channels;
    let split = (index / channels) % splits;
    let centred = index >= splits * channels;
    let positions = uniforms.xShape[0];
    let chunk = (positions + splits - 1) / splits;
    let end = min(split * chunk + chunk, positions);
    let mu = mean[c];
    ${SUM_DECLARE}
    for (var p = split * chunk; p < end; p++) {
      let g = dy[p * channels + c];
      ${sumAdd('select(g, g * (x[p * channels + c] - mu), centred)')}
    }
    result[index] = ${SUM_TOTAL};`,
};

/** The sum over chunks of the partials' first (dOffset) or second (dScale, times 1 / sigma) half. */
const finish = (half: 0 | 1): ElementwiseSpec => ({
  key: half === 0 ? 'batchNormGradOffset' : 'batchNormGradScale',
  inputNames: half === 0 ? ['partials'] : ['partials', 'variance'],
  uniformNames: half === 0 ? [] : ['epsilon'],
  body: `
    let splits = uniforms.partialsShape[1];
    let channels = uniforms.partialsShape[2];
    ${SUM_DECLARE}
    for (var s = 0; s < splits; s++) {
      ${sumAdd(`partials[(${half} * splits + s) * channels + index]`)}
    }
    result[index] = ${half === 0 ? SUM_TOTAL : `${SUM_TOTAL} * inverseSqrt(variance[index] + uniforms.epsilon)`};`,
});

const dxSpec: ElementwiseSpec = {
  key: 'batchNormGradDx',
  inputNames: ['x', 'dy', 'mean', 'variance', 'scale', 'dOffset', 'dScale'],
  uniformNames: ['epsilon'],
  body: `
    let channels = uniforms.outShape[1];
    let c = index % channels;
    let count = f32(uniforms.outShape[0]);
    let invSigma = inverseSqrt(variance[c] + uniforms.epsilon);
    let xHat = (x[index] - mean[c]) * invSigma;
    let centred = (dy[index] - dOffset[c] / count) - xHat * (dScale[c] / count);
    result[index] = centred * (scale[c] * invSigma);`,
};

function batchNormTrainingGrad({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo[] {
  const { x, dy, mean, variance, scale } = inputs as Record<'x' | 'dy' | 'mean' | 'variance' | 'scale', TensorInfo>;
  const { varianceEpsilon } = attrs as unknown as { varianceEpsilon: number };
  const gpu = backend as tf.KernelBackend;
  const calls = kernelCalls('webgpu', gpu, BATCH_NORM_TRAINING_GRAD);
  const { channels, positions, splits } = channelLayout(x);
  return withTemporaries(calls, (keep) => {
    const x2 = keep(calls.run('Reshape', { x }, { shape: [positions, channels] }));
    const dy2 = keep(calls.run('Reshape', { x: dy }, { shape: [positions, channels] }));
    const sums = keep(runElementwise(gpu, partials, { x: x2, dy: dy2, mean }, [2, splits, channels], []));
    const [dOffset, dScale, dx] = allOutputsOrNone(calls, [
      () => runElementwise(gpu, finish(0), { partials: sums }, [channels], []),
      () => runElementwise(gpu, finish(1), { partials: sums, variance }, [channels], [varianceEpsilon]),
      ([offsetGradient, scaleGradient]) => {
        const dx2 = keep(runElementwise(gpu, dxSpec, { x: x2, dy: dy2, mean, variance, scale, dOffset: offsetGradient as TensorInfo, dScale: scaleGradient as TensorInfo }, [positions, channels], [varianceEpsilon]));
        return calls.run('Reshape', { x: dx2 }, { shape: x.shape });
      },
    ]) as [TensorInfo, TensorInfo, TensorInfo];
    return [dx, dScale, dOffset];
  });
}

/** Registers both kernels on WebGPU once; core/model/batchNormInTraining.ts uses them where they are registered. */
export function registerWebGpuBatchNormTraining(): void {
  if (!tf.getKernel(BATCH_MOMENTS, 'webgpu')) tf.registerKernel({ kernelName: BATCH_MOMENTS, backendName: 'webgpu', kernelFunc: batchMoments });
  if (!tf.getKernel(BATCH_NORM_TRAINING_GRAD, 'webgpu')) tf.registerKernel({ kernelName: BATCH_NORM_TRAINING_GRAD, backendName: 'webgpu', kernelFunc: batchNormTrainingGrad });
}
