import type { ImagePoint } from '../../core/paint/LabelEditor';
import type { SliceRecord } from '../data/sliceRegistry';
import type { DirtyRect } from '../paint/createPaintActions';
import type { SlicePrediction } from '../predict/predictionRegistry';
import type { CanvasReadout } from './CanvasReadout';
import type { ContrastWindow, PredictionView, Rgb } from './layers';
import { drawLayerTiles, FrameBudget } from './drawTiles';
import { autoWindow, renderImageRegion, renderLabelRegion, renderPredictionRegion } from './layers';
import { TiledLayer } from './TiledLayer';
import type { Viewport } from './viewport';
import { canvasToImage, fitViewport, panBy, zoomAt } from './viewport';

/** Everything the canvas shows; the component passes a fresh one whenever the store changes. */
export interface CanvasInputs {
  readonly slice: SliceRecord | null;
  readonly labelsRevision: number;
  /** What the latest labels revision changed: redraw just that rectangle when it is the only change since the last draw. */
  readonly labelsChange: { readonly sliceId: string; readonly rect: DirtyRect } | null;
  readonly prediction: SlicePrediction | null;
  readonly predictionRevision: number;
  readonly predictionView: PredictionView;
  readonly threshold: number;
  /** Each class's colour, index = class (labels fill with it, predictions outline in its tint). */
  readonly palette: readonly Rgb[];
  readonly labelOpacity: number;
  readonly predictionOpacity: number;
  readonly showLabels: boolean;
  readonly showPrediction: boolean;
  readonly contrast: { mode: 'auto' } | { mode: 'manual'; low: number; high: number };
  readonly tool: 'pan' | 'brush' | 'eraser' | 'fill';
  readonly brushRadiusPx: number;
}

/** What painting the controller may do; the paint actions implement it. */
export interface CanvasPainter {
  beginStroke(point: ImagePoint): DirtyRect | null;
  extendStroke(point: ImagePoint): DirtyRect | null;
  endStroke(): void;
  fillAt(point: ImagePoint): void;
}

/**
 * Owns the slice canvas: image, label and prediction layers as tile pyramids (TiledLayer: tiles
 * rendered when first shown, at the resolution the zoom needs), composed at most once per
 * animation frame. Wheel zoom, drag pan and painting are handled here, outside React, so a big
 * slice stays fluid: showing it renders only the tiles on screen, and a pointer move re-renders
 * only the label rectangle the brush touched.
 */
export class SliceCanvasController {
  private inputs: CanvasInputs | null = null;
  private view: Viewport = { scale: 1, offsetX: 0, offsetY: 0 };
  private userMovedView = false;
  private imageLayer: TiledLayer | null = null;
  private labelLayer: TiledLayer | null = null;
  private predictionLayer: TiledLayer | null = null;
  private drawn = { sliceId: '', contrastKey: '', labelsRevision: -1, predictionKey: '', paletteKey: '' };
  private window: ContrastWindow = { low: 0, high: 1 };
  private frame = 0;
  private pointer: { x: number; y: number } | null = null;
  private drag: { kind: 'pan' | 'paint'; lastX: number; lastY: number } | null = null;
  private spaceHeld = false;
  private readonly observer: ResizeObserver;
  private readonly listeners: [string, EventListener, EventTarget][] = [];

  constructor(private readonly canvas: HTMLCanvasElement, private readonly painter: CanvasPainter, private readonly readout: CanvasReadout | null = null) {
    this.observer = new ResizeObserver(() => this.resize());
    this.observer.observe(canvas);
    this.listen(canvas, 'wheel', (e) => this.onWheel(e as WheelEvent), { passive: false });
    this.listen(canvas, 'pointerdown', (e) => this.onPointerDown(e as PointerEvent));
    this.listen(canvas, 'pointermove', (e) => this.onPointerMove(e as PointerEvent));
    this.listen(canvas, 'pointerup', (e) => this.onPointerUp(e as PointerEvent));
    this.listen(canvas, 'pointercancel', (e) => this.onPointerUp(e as PointerEvent));
    this.listen(canvas, 'pointerleave', () => {
      this.pointer = null;
      this.readout?.publish({ cursor: null });
      this.schedule();
    });
    this.listen(window, 'keydown', (e) => { if ((e as KeyboardEvent).code === 'Space' && !isTyping(e)) this.spaceHeld = true; });
    this.listen(window, 'keyup', (e) => { if ((e as KeyboardEvent).code === 'Space') this.spaceHeld = false; });
    this.resize();
  }

  update(inputs: CanvasInputs): void {
    const previous = this.inputs;
    // The store changes for many reasons (a training step, a status line); redraw only for ours.
    if (previous && (Object.keys(inputs) as (keyof CanvasInputs)[]).every((key) => inputs[key] === previous[key])) return;
    this.inputs = inputs;
    if (inputs.slice && inputs.slice.id !== previous?.slice?.id) {
      this.userMovedView = false;
      this.fit();
    }
    this.refreshLayers();
    this.schedule();
  }

  /** Shows the whole slice ("Fit" button, H key). */
  fit(): void {
    const slice = this.inputs?.slice;
    if (!slice) return;
    this.view = fitViewport(this.canvas.width, this.canvas.height, slice.width, slice.height);
    this.userMovedView = false;
    this.publishView();
    this.schedule();
  }

  /** Zooms about the canvas centre (buttons, + and - keys). */
  zoom(factor: number): void {
    this.view = zoomAt(this.view, factor, this.canvas.width / 2, this.canvas.height / 2);
    this.userMovedView = true;
    this.publishView();
    this.schedule();
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.readout?.publish({ cursor: null, zoomPercent: null });
    this.observer.disconnect();
    for (const [type, listener, target] of this.listeners) target.removeEventListener(type, listener);
  }

  private listen(target: EventTarget, type: string, listener: EventListener, options?: AddEventListenerOptions): void {
    target.addEventListener(type, listener, options);
    this.listeners.push([type, listener, target]);
  }

  private resize(): void {
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(this.canvas.clientWidth * ratio));
    const height = Math.max(1, Math.round(this.canvas.clientHeight * ratio));
    if (width === this.canvas.width && height === this.canvas.height) return;
    this.canvas.width = width;
    this.canvas.height = height;
    if (!this.userMovedView) this.fit();
    this.schedule();
  }

  /** Drops the tiles of the layers whose inputs changed since they were last drawn (visible tiles render again on the next frame). */
  private refreshLayers(): void {
    const inputs = this.inputs;
    const slice = inputs?.slice;
    if (!inputs || !slice) return;
    const { width, height } = slice;
    const sliceChanged = slice.id !== this.drawn.sliceId;
    // The renderers read the latest inputs: a re-read label file brings new arrays under the same slice id.
    const current = () => this.inputs?.slice ?? slice;
    const contrastKey = JSON.stringify(inputs.contrast);
    if (sliceChanged || contrastKey !== this.drawn.contrastKey) {
      this.window = inputs.contrast.mode === 'manual' ? inputs.contrast : autoWindow(slice.pixels, width, height, slice.channels);
      this.imageLayer = new TiledLayer(width, height, (region, step) => renderImageRegion(current().pixels, width, current().channels, this.window, region, step));
      this.canvas.dataset.contrastLow = String(this.window.low);
      this.canvas.dataset.contrastHigh = String(this.window.high);
    }
    const paletteKey = inputs.palette.join(';');
    const paletteChanged = paletteKey !== this.drawn.paletteKey;
    const { palette } = inputs;
    const oneChangeHere = !sliceChanged && !paletteChanged && this.labelLayer && inputs.labelsRevision === this.drawn.labelsRevision + 1 && inputs.labelsChange?.sliceId === slice.id;
    if (sliceChanged || paletteChanged || !this.labelLayer) {
      this.labelLayer = new TiledLayer(width, height, (region, step) => renderLabelRegion(current().classes, width, palette, region, step));
    } else if (oneChangeHere && inputs.labelsChange) {
      // A stroke, fill, undo or redo: redraw its rectangle in the tiles that show it, not the whole slice.
      this.refreshLabelRect(inputs.labelsChange.rect);
    } else if (inputs.labelsRevision !== this.drawn.labelsRevision) {
      this.labelLayer.clear();
    }
    const predictionKey = `${slice.id}|${inputs.predictionRevision}|${inputs.predictionView}|${inputs.threshold}|${inputs.prediction ? 1 : 0}|${paletteKey}`;
    if (predictionKey !== this.drawn.predictionKey) {
      const p = inputs.prediction;
      const { predictionView, threshold } = inputs;
      this.predictionLayer = p && p.width === width && p.height === height
        ? new TiledLayer(width, height, (region, step) => renderPredictionRegion(p, predictionView, threshold, palette, region, step))
        : null;
    }
    this.drawn = { sliceId: slice.id, contrastKey, labelsRevision: inputs.labelsRevision, predictionKey, paletteKey };
  }

  /** A stroke changed `rect` of the labels: re-render just that part of the label tiles. */
  private refreshLabelRect(rect: DirtyRect | null): void {
    if (!rect || !this.labelLayer) return;
    this.labelLayer.update(rect);
    this.schedule();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private draw(): void {
    const context = this.canvas.getContext('2d');
    const inputs = this.inputs;
    if (!context || !inputs?.slice || !this.imageLayer) return;
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.globalAlpha = 1;
    context.fillStyle = '#1b1f27';
    context.fillRect(0, 0, this.canvas.width, this.canvas.height);
    // Tiles not rendered yet get a frame's budget; what is left comes in the next frames.
    const budget = new FrameBudget();
    const { width, height } = this.canvas;
    let complete = drawLayerTiles(context, this.imageLayer, this.view, width, height, budget);
    if (inputs.showLabels && this.labelLayer && inputs.labelOpacity > 0) {
      context.globalAlpha = inputs.labelOpacity;
      complete = drawLayerTiles(context, this.labelLayer, this.view, width, height, budget) && complete;
    }
    // The prediction over the labels: its outline (mostly see-through inside) stays readable on a filled label.
    if (inputs.showPrediction && this.predictionLayer && inputs.predictionOpacity > 0) {
      context.globalAlpha = inputs.predictionOpacity;
      complete = drawLayerTiles(context, this.predictionLayer, this.view, width, height, budget) && complete;
    }
    if (!complete) this.schedule();
    context.globalAlpha = 1;
    context.setTransform(1, 0, 0, 1, 0, 0);
    if (this.pointer && (inputs.tool === 'brush' || inputs.tool === 'eraser') && !this.spaceHeld) {
      context.strokeStyle = inputs.tool === 'eraser' ? '#ffffff' : '#ffd84a';
      context.lineWidth = 1.5;
      context.beginPath();
      context.arc(this.pointer.x, this.pointer.y, Math.max(2, inputs.brushRadiusPx * this.view.scale), 0, 2 * Math.PI);
      context.stroke();
    }
  }

  private canvasPoint(e: PointerEvent | WheelEvent): { x: number; y: number } {
    const box = this.canvas.getBoundingClientRect();
    return { x: ((e.clientX - box.left) * this.canvas.width) / box.width, y: ((e.clientY - box.top) * this.canvas.height) / box.height };
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    const { x, y } = this.canvasPoint(e);
    this.view = zoomAt(this.view, Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015)), x, y);
    this.userMovedView = true;
    this.publishView();
    this.schedule();
  }

  private onPointerDown(e: PointerEvent): void {
    const tool = this.inputs?.tool;
    const point = this.canvasPoint(e);
    this.canvas.setPointerCapture(e.pointerId);
    if (tool === 'pan' || e.button === 1 || this.spaceHeld) {
      this.drag = { kind: 'pan', lastX: point.x, lastY: point.y };
      return;
    }
    if (e.button !== 0) return;
    const image = canvasToImage(this.view, point.x, point.y);
    if (tool === 'fill') {
      this.painter.fillAt(image);
      return;
    }
    this.drag = { kind: 'paint', lastX: point.x, lastY: point.y };
    this.refreshLabelRect(this.painter.beginStroke(image));
  }

  private onPointerMove(e: PointerEvent): void {
    const point = this.canvasPoint(e);
    this.pointer = point;
    this.readout?.publish({ cursor: canvasToImage(this.view, point.x, point.y) });
    const drag = this.drag;
    if (drag?.kind === 'pan') {
      this.view = panBy(this.view, point.x - drag.lastX, point.y - drag.lastY);
      this.userMovedView = true;
      this.publishView();
    } else if (drag?.kind === 'paint') {
      // Coalesced events: a fast stroke on a busy frame still follows the pointer's real path.
      const events = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
      for (const sample of events.length > 0 ? events : [e]) {
        const p = this.canvasPoint(sample);
        this.refreshLabelRect(this.painter.extendStroke(canvasToImage(this.view, p.x, p.y)));
      }
    }
    if (drag) {
      drag.lastX = point.x;
      drag.lastY = point.y;
    }
    this.schedule();
  }

  private onPointerUp(e: PointerEvent): void {
    if (this.canvas.hasPointerCapture(e.pointerId)) this.canvas.releasePointerCapture(e.pointerId);
    if (this.drag?.kind === 'paint') this.painter.endStroke();
    this.drag = null;
  }

  /** The zoom as an attribute: tests and the zoom read-out use it. */
  private publishView(): void {
    this.canvas.dataset.scale = this.view.scale.toFixed(4);
    this.readout?.publish({ zoomPercent: (100 * this.view.scale) / (window.devicePixelRatio || 1) });
  }
}

function isTyping(e: Event): boolean {
  const target = e.target as HTMLElement | null;
  return !!target && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA');
}
