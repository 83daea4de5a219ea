import type { KernelBackend, TensorInfo, backend_util } from '@tensorflow/tfjs';
import type { KernelCalls } from './convGradientsByMatmul';
import type { WebGpuProgramRunner } from './webgpuElementwise';

/**
 * The filter gradient of a convolution as ONE WebGPU program: a matrix product
 *   dW[(a, b, c), o] = sum over positions p = (n, i, j) of X[p, (a, b, c)] * dy[p, o],
 * where X is x seen through the filter (im2col), gathered on the fly from x and never stored, and
 * the long sum over positions is split across workgroups ("split-K"): each writes its partial
 * product, and tfjs's Sum adds the partials. Two dispatches per gradient, where the per-tap path
 * (convGradientsByMatmul.ts) takes a padded copy, a strided slice and a matmul per filter tap, a
 * concat and a transpose: on an H200 that path was 124 of the paper step's 188 ms of GPU time, and
 * its ~22 dispatches per layer were a third of the fast step's 1421 (bench/results/gpu-h200/2-per-tap-kernels-profiled.md).
 */


/** Positions summed per step, through workgroup memory. */
const TILE_K = 16;
/** Workgroups to aim for: enough to fill a large GPU (an H200 has 132 multiprocessors). */
const TARGET_WORKGROUPS = 1024;
/** Fewest positions one workgroup sums, so the partials stay a small fraction of the work. */
const MIN_POSITIONS_PER_SPLIT = 256;

const nextPowerOfTwo = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(1, n)));

/** Threads along o (x) and along (a, b, c) (y); each thread owns a 4 x 4 block of dW. */
export function filterGradientTiling(rows: number, columns: number, positions: number) {
  // At least 4 threads along o, so the thread count is a multiple of tileM and each thread loads the same
  // rows (a, b, c) of x at every step: their division by the channel count happens once, not per load.
  const threadsN = Math.min(16, Math.max(4, nextPowerOfTwo(Math.ceil(columns / 4))));
  // 16 KiB of workgroup memory (WebGPU's default limit) holds TILE_K x (tileM + tileN) floats up to 256 wide.
  const threadsM = Math.min(256 / threadsN, 32, nextPowerOfTwo(Math.ceil(rows / 4)));
  const tileM = 4 * threadsM;
  const tileN = 4 * threadsN;
  const tiles = Math.ceil(rows / tileM) * Math.ceil(columns / tileN);
  const maxSplits = Math.max(1, Math.floor(positions / MIN_POSITIONS_PER_SPLIT));
  const wantedSplits = Math.min(maxSplits, Math.max(1, Math.round(TARGET_WORKGROUPS / tiles)));
  const chunk = Math.ceil(Math.ceil(positions / wantedSplits) / TILE_K) * TILE_K;
  return { threadsM, threadsN, tileM, tileN, chunk, splits: Math.ceil(positions / chunk) };
}

type Tiling = ReturnType<typeof filterGradientTiling>;

/** A tfjs WebGPUProgram (the fields runWebGPUProgram reads); the output is the partials [rows, columns, splits]. */
class FilterGradientProgram {
  readonly variableNames = ['x', 'dy'];
  readonly uniforms = 'pads : vec2<i32>, strides : vec2<i32>, filterWidth : i32, positions : i32, chunk : i32,';
  readonly outputShape: number[];
  // Not a flat layout (y is set), so tfjs calls main() without an index: the program reads its workgroup ids.
  readonly dispatchLayout = { x: [1], y: [0], z: [2] };
  readonly dispatch: [number, number, number];
  readonly workgroupSize: [number, number, number];
  readonly shaderKey: string;

  constructor(rows: number, columns: number, private readonly tiling: Tiling) {
    this.outputShape = [rows, columns, tiling.splits];
    this.workgroupSize = [tiling.threadsN, tiling.threadsM, 1];
    this.dispatch = [Math.ceil(columns / tiling.tileN), Math.ceil(rows / tiling.tileM), tiling.splits];
    this.shaderKey = `unetStudioFilterGradient_${tiling.threadsN}_${tiling.threadsM}`;
  }

  getUserCode(): string {
    const { threadsM, threadsN, tileM, tileN } = this.tiling;
    const threads = threadsM * threadsN;
    return `
      var<workgroup> tileX : array<array<vec4<f32>, ${tileM / 4}>, ${TILE_K}>;
      var<workgroup> tileDy : array<array<vec4<f32>, ${tileN / 4}>, ${TILE_K}>;
      // Per position of the step: (n * inHeight, first input row, first input column), z = -huge past the end.
      var<workgroup> stepPositions : array<vec3<i32>, ${TILE_K}>;

      fn main() {
        let rows = uniforms.outShape[0];
        let columns = uniforms.outShape[1];
        let splits = uniforms.outShape[2];
        let inHeight = uniforms.xShape[1];
        let inWidth = uniforms.xShape[2];
        let inChannels = uniforms.xShape[3];
        let outHeight = uniforms.dyShape[1];
        let outWidth = uniforms.dyShape[2];
        let thread = i32(localIndex);
        let n0 = i32(workgroupId.x) * ${tileN};
        let m0 = i32(workgroupId.y) * ${tileM};
        let split = i32(workgroupId.z);
        let kBegin = split * uniforms.chunk;
        let kEnd = min(kBegin + uniforms.chunk, uniforms.positions);
        var acc : array<vec4<f32>, 4>;
        for (var r = 0; r < 4; r++) { acc[r] = vec4<f32>(0.0); }

        // This thread's row of x seen through the filter, the same at every step (threads is a multiple of tileM).
        let mm = thread % ${tileM};
        let m = m0 + mm;
        let rowInRange = m < rows;
        let c = m % inChannels;
        let tap = m / inChannels;
        let tapColumn = tap % uniforms.filterWidth;
        let tapRow = tap / uniforms.filterWidth;

        // The step count comes from uniforms alone, so every barrier is in uniform control flow.
        let steps = uniforms.chunk / ${TILE_K};
        for (var step = 0; step < steps; step++) {
          let k0 = kBegin + step * ${TILE_K};
          if (thread < ${TILE_K}) {
            let p = k0 + thread;
            let j = p % outWidth;
            let t = p / outWidth;
            let i = t % outHeight;
            let n = t / outHeight;
            stepPositions[thread] = select(vec3<i32>(0, 0, -1073741824),
              vec3<i32>(n * inHeight, i * uniforms.strides.x - uniforms.pads.x, j * uniforms.strides.y - uniforms.pads.y), p < kEnd);
          }
          workgroupBarrier();
          // x seen through the filter: consecutive threads take consecutive rows (a, b, c), so
          // consecutive channels c of one pixel: coalesced reads of NHWC x.
          for (var kk = thread / ${tileM}; kk < ${TILE_K}; kk += ${threads / tileM}) {
            let position = stepPositions[kk];
            let xRow = position.y + tapRow;
            let xColumn = position.z + tapColumn;
            var value = 0.0;
            if (rowInRange && xRow >= 0 && xRow < inHeight && xColumn >= 0 && xColumn < inWidth) {
              value = x[((position.x + xRow) * inWidth + xColumn) * inChannels + c];
            }
            tileX[kk][mm / 4][mm % 4] = value;
          }
          for (var e = thread; e < ${TILE_K * tileN}; e += ${threads}) {
            let kk = e / ${tileN};
            let nn = e % ${tileN};
            let p = k0 + kk;
            let o = n0 + nn;
            var value = 0.0;
            if (p < kEnd && o < columns) {
              value = dy[p * columns + o];
            }
            tileDy[kk][nn / 4][nn % 4] = value;
          }
          workgroupBarrier();
          let tm = i32(localId.y);
          let tn = i32(localId.x);
          for (var kk = 0; kk < ${TILE_K}; kk++) {
            let xs = tileX[kk][tm];
            let dys = tileDy[kk][tn];
            acc[0] = fma(vec4<f32>(xs.x), dys, acc[0]);
            acc[1] = fma(vec4<f32>(xs.y), dys, acc[1]);
            acc[2] = fma(vec4<f32>(xs.z), dys, acc[2]);
            acc[3] = fma(vec4<f32>(xs.w), dys, acc[3]);
          }
          workgroupBarrier();
        }

        let mBase = m0 + i32(localId.y) * 4;
        let nBase = n0 + i32(localId.x) * 4;
        for (var r = 0; r < 4; r++) {
          let row = mBase + r;
          for (var q = 0; q < 4; q++) {
            let column = nBase + q;
            if (row < rows && column < columns) {
              result[(row * columns + column) * splits + split] = acc[r][q];
            }
          }
        }
      }
    `;
  }
}

/** dW for an NHWC convolution (any stride and padding, no dilation) on tfjs's WebGPU backend. */
export function webgpuFilterGradient(calls: KernelCalls, backend: KernelBackend, info: backend_util.Conv2DInfo, x: TensorInfo, dy: TensorInfo, filterShape: number[]): TensorInfo {
  const { batchSize, outHeight, outWidth, filterHeight, filterWidth, inChannels, outChannels, padInfo } = info;
  const rows = filterHeight * filterWidth * inChannels;
  const positions = batchSize * outHeight * outWidth;
  const tiling = filterGradientTiling(rows, outChannels, positions);
  const program = new FilterGradientProgram(rows, outChannels, tiling);
  const partials = (backend as unknown as WebGpuProgramRunner).runWebGPUProgram(program, [x, dy], 'float32', [
    { type: 'int32', data: [padInfo.top, padInfo.left] },
    { type: 'int32', data: [info.strideHeight, info.strideWidth] },
    { type: 'int32', data: [filterWidth] },
    { type: 'int32', data: [positions] },
    { type: 'int32', data: [tiling.chunk] },
  ]);
  try {
    if (tiling.splits === 1) return calls.run('Reshape', { x: partials }, { shape: filterShape });
    const summed = calls.run('Sum', { x: partials }, { axis: [2], keepDims: false });
    try {
      return calls.run('Reshape', { x: summed }, { shape: filterShape });
    } finally {
      calls.release(summed);
    }
  } finally {
    calls.release(partials);
  }
}
