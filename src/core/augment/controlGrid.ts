import { gaussian } from '../random/gaussian';
import { assertElasticParams, type ElasticParams } from './elasticParams';

/**
 * Displacement vectors at gridSize x gridSize control points, row-major. Control
 * point (i, j) sits at image pixel (j * (W - 1) / (G - 1), i * (H - 1) / (G - 1)):
 * for the paper's 3x3 grid, the corners, the edge midpoints and the centre.
 */
export interface ControlGrid {
  readonly gridSize: number;
  readonly dxPx: Float64Array;
  readonly dyPx: Float64Array;
}

/** Draws every component from N(0, sigmaPx^2): all dx (row-major), then all dy. */
export function randomControlGrid(params: ElasticParams, uniform: () => number): ControlGrid {
  assertElasticParams(params);
  const { gridSize, sigmaPx } = params;
  const normal = gaussian(uniform);
  const count = gridSize * gridSize;
  const dxPx = new Float64Array(count);
  const dyPx = new Float64Array(count);
  for (let i = 0; i < count; i++) dxPx[i] = sigmaPx * normal();
  for (let i = 0; i < count; i++) dyPx[i] = sigmaPx * normal();
  return { gridSize, dxPx, dyPx };
}
