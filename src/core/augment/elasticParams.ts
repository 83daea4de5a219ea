import { invalidConfig } from '../errors';

/** The elastic deformation of the paper: random vectors on a coarse grid, smoothly interpolated. */
export interface ElasticParams {
  /** Control points per side (the paper: 3). */
  readonly gridSize: number;
  /** Standard deviation of each displacement component at a control point (the paper: 10 px). */
  readonly sigmaPx: number;
}

export const PAPER_ELASTIC: ElasticParams = { gridSize: 3, sigmaPx: 10 };

export function assertElasticParams({ gridSize, sigmaPx }: ElasticParams): void {
  if (!Number.isInteger(gridSize) || gridSize < 2) {
    throw invalidConfig(`The elastic grid needs at least 2x2 control points (got ${gridSize}).`);
  }
  if (!Number.isFinite(sigmaPx) || sigmaPx < 0) {
    throw invalidConfig(`The elastic displacement sigma must be a finite, non-negative number of pixels (got ${sigmaPx}).`);
  }
}
