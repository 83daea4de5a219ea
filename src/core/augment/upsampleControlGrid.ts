import { invalidConfig } from '../errors';
import { mirrorIndex } from '../sampling/mirrorIndex';
import type { ControlGrid } from './controlGrid';
import { cubicSplineCoefficients } from './cubicSplineCoefficients';
import type { DisplacementField } from './displacementField';

/**
 * The dense per-pixel field of a control grid by bicubic interpolation: the
 * interpolating cubic B-spline through the control vectors (mirror boundaries),
 * evaluated at grid coordinate x * (G - 1) / (W - 1) (resp. y), so the control
 * points land on the corners, edges and centre lines (see ControlGrid).
 * Equals scipy.ndimage.map_coordinates(grid, coords, order=3, mode='mirror'),
 * i.e. scipy.ndimage.zoom(grid, order=3, mode='mirror', grid_mode=False).
 */
export function upsampleControlGrid(grid: ControlGrid, width: number, height: number): DisplacementField {
  const { gridSize } = grid;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw invalidConfig(`A displacement field needs a size of at least 1x1 px (got ${width}x${height}).`);
  }
  if (grid.dxPx.length !== gridSize * gridSize || grid.dyPx.length !== gridSize * gridSize) {
    throw invalidConfig(`A ${gridSize}x${gridSize} control grid needs ${gridSize * gridSize} vectors per component.`);
  }
  const columns = axisTaps(width, gridSize);
  const rows = axisTaps(height, gridSize);
  return {
    width,
    height,
    dxPx: evaluate(grid.dxPx, gridSize, columns, rows, width, height),
    dyPx: evaluate(grid.dyPx, gridSize, columns, rows, width, height),
  };
}

/** For each pixel along an axis: 4 control indices (mirrored into the grid) and their cubic B-spline weights. */
interface AxisTaps {
  readonly index: Int32Array;
  readonly weight: Float64Array;
}

function axisTaps(lengthPx: number, gridSize: number): AxisTaps {
  const index = new Int32Array(lengthPx * 4);
  const weight = new Float64Array(lengthPx * 4);
  for (let p = 0; p < lengthPx; p++) {
    const u = lengthPx > 1 ? (p * (gridSize - 1)) / (lengthPx - 1) : 0;
    const f = Math.min(Math.floor(u), gridSize - 1);
    const t = u - f;
    const s = 1 - t;
    const w = [(s * s * s) / 6, 2 / 3 - t * t + 0.5 * t * t * t, 1 / 6 + 0.5 * (t + t * t - t * t * t), (t * t * t) / 6];
    for (let k = 0; k < 4; k++) {
      index[p * 4 + k] = mirrorIndex(f - 1 + k, gridSize);
      weight[p * 4 + k] = w[k]!;
    }
  }
  return { index, weight };
}

function evaluate(values: Float64Array, gridSize: number, columns: AxisTaps, rows: AxisTaps, width: number, height: number): Float32Array {
  const coeffs = cubicSplineCoefficients({ data: values, width: gridSize, height: gridSize, channels: 1 });
  // Interpolate along x for every grid row first (gridSize x width), then along y.
  const along = new Float64Array(gridSize * width);
  for (let i = 0; i < gridSize; i++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = 0; k < 4; k++) sum += columns.weight[x * 4 + k]! * coeffs[i * gridSize + columns.index[x * 4 + k]!]!;
      along[i * width + x] = sum;
    }
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const w0 = rows.weight[y * 4]!, w1 = rows.weight[y * 4 + 1]!, w2 = rows.weight[y * 4 + 2]!, w3 = rows.weight[y * 4 + 3]!;
    const a = rows.index[y * 4]! * width, b = rows.index[y * 4 + 1]! * width;
    const c = rows.index[y * 4 + 2]! * width, d = rows.index[y * 4 + 3]! * width;
    const o = y * width;
    for (let x = 0; x < width; x++) out[o + x] = w0 * along[a + x]! + w1 * along[b + x]! + w2 * along[c + x]! + w3 * along[d + x]!;
  }
  return out;
}
