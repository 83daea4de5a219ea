import { randomControlGrid, type ControlGrid } from './controlGrid';
import type { DisplacementField } from './displacementField';
import type { ElasticParams } from './elasticParams';
import { upsampleControlGrid } from './upsampleControlGrid';

/** The paper's random elastic field for a width x height image, with the control grid it came from (for previews). */
export function randomDisplacementField(
  width: number,
  height: number,
  params: ElasticParams,
  uniform: () => number,
): { readonly grid: ControlGrid; readonly field: DisplacementField } {
  const grid = randomControlGrid(params, uniform);
  return { grid, field: upsampleControlGrid(grid, width, height) };
}
