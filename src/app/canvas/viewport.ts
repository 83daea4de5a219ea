/** Where the image sits on the canvas: canvas px = image px * scale + offset. Plain data, changed per wheel/drag. */
export interface Viewport {
  readonly scale: number;
  readonly offsetX: number;
  readonly offsetY: number;
}

export const MIN_SCALE = 1 / 32;
export const MAX_SCALE = 64;

/** The whole image, centred, as large as fits. */
export function fitViewport(viewWidth: number, viewHeight: number, imageWidth: number, imageHeight: number): Viewport {
  const scale = Math.min(viewWidth / imageWidth, viewHeight / imageHeight);
  return { scale, offsetX: (viewWidth - imageWidth * scale) / 2, offsetY: (viewHeight - imageHeight * scale) / 2 };
}

/** Zooms by `factor` keeping the image point under (x, y) where it is (the usual wheel zoom). */
export function zoomAt(view: Viewport, factor: number, x: number, y: number): Viewport {
  const scale = Math.max(MIN_SCALE, Math.min(MAX_SCALE, view.scale * factor));
  const applied = scale / view.scale;
  return { scale, offsetX: x - (x - view.offsetX) * applied, offsetY: y - (y - view.offsetY) * applied };
}

export function panBy(view: Viewport, dx: number, dy: number): Viewport {
  return { ...view, offsetX: view.offsetX + dx, offsetY: view.offsetY + dy };
}

export function canvasToImage(view: Viewport, x: number, y: number): { x: number; y: number } {
  return { x: (x - view.offsetX) / view.scale, y: (y - view.offsetY) / view.scale };
}
