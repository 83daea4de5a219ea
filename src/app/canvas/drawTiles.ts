import type { TiledLayer } from './TiledLayer';
import type { TileKey } from './tilePyramid';
import { levelForScale, parentOf, tileRegion, tilesOverlapping, visibleRegion } from './tilePyramid';
import type { Viewport } from './viewport';

/** Time a frame may spend rendering tiles that are not cached yet; the rest come in the next frames. */
export const TILE_BUDGET_MS = 24;

/** A frame's allowance for rendering new tiles, shared by the layers it draws. */
export class FrameBudget {
  private readonly deadline: number;
  constructor(ms: number = TILE_BUDGET_MS, private readonly now: () => number = () => performance.now()) {
    this.deadline = now() + ms;
  }
  get left(): boolean {
    return this.now() < this.deadline;
  }
}

/**
 * Draws the tiles of `layer` that `view` shows onto a canvas (identity transform), at the pyramid
 * level matching the zoom. A tile not rendered yet is rendered while the budget lasts; after that
 * a coarser cached tile stands in. Returns false when something is still missing (draw again).
 */
export function drawLayerTiles(context: CanvasRenderingContext2D, layer: TiledLayer, view: Viewport, canvasWidth: number, canvasHeight: number, budget: FrameBudget): boolean {
  const level = levelForScale(view.scale, layer.maxLevel);
  const keys = tilesOverlapping(visibleRegion(view, canvasWidth, canvasHeight), level, layer.width, layer.height, layer.tilePx);
  let complete = true;
  for (const key of keys) {
    const tile = budget.left ? layer.get(key) : layer.peek(key);
    if (tile) {
      drawPart(context, layer, view, key, key, tile.source);
      continue;
    }
    complete = false;
    // A coarser tile that is cached already stands in until this one is rendered.
    for (let up = parentOf(key); up.level <= layer.maxLevel; up = parentOf(up)) {
      const coarse = layer.peek(up);
      if (!coarse) continue;
      drawPart(context, layer, view, key, up, coarse.source);
      break;
    }
  }
  return complete;
}

/** Draws the part of tile `from` (a canvas at its level's resolution) that covers tile `key`, on whole screen pixels (no seams). */
function drawPart(context: CanvasRenderingContext2D, layer: TiledLayer, view: Viewport, key: TileKey, from: TileKey, source: CanvasImageSource): void {
  const region = tileRegion(key, layer.width, layer.height, layer.tilePx);
  const outer = tileRegion(from, layer.width, layer.height, layer.tilePx);
  const step = 2 ** from.level;
  const x0 = Math.round(region.x * view.scale + view.offsetX);
  const y0 = Math.round(region.y * view.scale + view.offsetY);
  const x1 = Math.round((region.x + region.width) * view.scale + view.offsetX);
  const y1 = Math.round((region.y + region.height) * view.scale + view.offsetY);
  if (x1 <= x0 || y1 <= y0) return;
  // Smooth where a tile pixel is smaller than a screen pixel; crisp pixels when zoomed in (painting needs to see them).
  context.imageSmoothingEnabled = view.scale * step < 1;
  context.drawImage(source, (region.x - outer.x) / step, (region.y - outer.y) / step, region.width / step, region.height / step, x0, y0, x1 - x0, y1 - y0);
}
