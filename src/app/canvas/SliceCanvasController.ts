import type { ImagePoint } from '../../core/paint/LabelEditor';
import type { SliceRecord } from '../data/sliceRegistry';
import type { DirtyRect } from '../paint/createPaintActions';
import type { SlicePrediction } from '../predict/predictionRegistry';
import type { ContrastWindow, PredictionView } from './layers';
import { autoWindow, renderImageLayer, renderLabelRect, renderPredictionLayer } from './layers';
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

interface Layer { canvas: OffscreenCanvas; context: OffscreenCanvasRenderingContext2D; image: ImageData }

function makeLayer(width: number, height: number, rgba: Uint8ClampedArray<ArrayBuffer>): Layer {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
  const image = new ImageData(rgba, width, height);
  context.putImageData(image, 0, 0);
  return { canvas, context, image };
}

/**
 * Owns the slice canvas: image, label and prediction layers cached in offscreen canvases at image
 * resolution, composed with the zoom/pan transform at most once per animation frame. Wheel zoom,
 * drag pan and painting are handled here, outside React, so a 2048x2048 slice stays fluid: a
 * pointer move redraws only the label rectangle the brush touched, then recomposes.
 */
export class SliceCanvasController {
  private inputs: CanvasInputs | null = null;
  private view: Viewport = { scale: 1, offsetX: 0, offsetY: 0 };
  private userMovedView = false;
  private imageLayer: Layer | null = null;
  private labelLayer: Layer | null = null;
  private predictionLayer: Layer | null = null;
  private drawn = { sliceId: '', contrastKey: '', labelsRevision: -1, predictionKey: '' };
  private window: ContrastWindow = { low: 0, high: 1 };
  private frame = 0;
  private pointer: { x: number; y: number } | null = null;
  private drag: { kind: 'pan' | 'paint'; lastX: number; lastY: number } | null = null;
  private spaceHeld = false;
  private readonly observer: ResizeObserver;
  private readonly listeners: [string, EventListener, EventTarget][] = [];

  constructor(private readonly canvas: HTMLCanvasElement, private readonly painter: CanvasPainter) {
    this.observer = new ResizeObserver(() => this.resize());
    this.observer.observe(canvas);
    this.listen(canvas, 'wheel', (e) => this.onWheel(e as WheelEvent), { passive: false });
    this.listen(canvas, 'pointerdown', (e) => this.onPointerDown(e as PointerEvent));
    this.listen(canvas, 'pointermove', (e) => this.onPointerMove(e as PointerEvent));
    this.listen(canvas, 'pointerup', (e) => this.onPointerUp(e as PointerEvent));
    this.listen(canvas, 'pointercancel', (e) => this.onPointerUp(e as PointerEvent));
    this.listen(canvas, 'pointerleave', () => { this.pointer = null; this.schedule(); });
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

  /** Re-renders only the layers whose inputs changed since they were last drawn. */
  private refreshLayers(): void {
    const inputs = this.inputs;
    const slice = inputs?.slice;
    if (!inputs || !slice) return;
    const { width, height } = slice;
    const sliceChanged = slice.id !== this.drawn.sliceId;
    const contrastKey = JSON.stringify(inputs.contrast);
    if (sliceChanged || contrastKey !== this.drawn.contrastKey) {
      this.window = inputs.contrast.mode === 'manual' ? inputs.contrast : autoWindow(slice.pixels, width, height, slice.channels);
      this.imageLayer = makeLayer(width, height, renderImageLayer(slice.pixels, width, height, slice.channels, this.window));
      this.canvas.dataset.contrastLow = String(this.window.low);
      this.canvas.dataset.contrastHigh = String(this.window.high);
    }
    const oneChangeHere = !sliceChanged && this.labelLayer && inputs.labelsRevision === this.drawn.labelsRevision + 1 && inputs.labelsChange?.sliceId === slice.id;
    if (oneChangeHere && inputs.labelsChange) {
      // A stroke, fill, undo or redo: redraw its rectangle, not the whole slice (a whole 2048 px layer is ~100 ms).
      this.refreshLabelRect(inputs.labelsChange.rect);
    } else if (sliceChanged || inputs.labelsRevision !== this.drawn.labelsRevision) {
      const rgba = new Uint8ClampedArray(new ArrayBuffer(width * height * 4));
      renderLabelRect(slice.classes, width, rgba, 0, 0, width, height);
      this.labelLayer = makeLayer(width, height, rgba);
    }
    const predictionKey = `${slice.id}|${inputs.predictionRevision}|${inputs.predictionView}|${inputs.threshold}|${inputs.prediction ? 1 : 0}`;
    if (predictionKey !== this.drawn.predictionKey) {
      const p = inputs.prediction;
      this.predictionLayer = p && p.width === width && p.height === height ? makeLayer(width, height, renderPredictionLayer(p, inputs.predictionView, inputs.threshold)) : null;
    }
    this.drawn = { sliceId: slice.id, contrastKey, labelsRevision: inputs.labelsRevision, predictionKey };
  }

  /** A stroke changed `rect` of the labels: re-render just that part of the label layer. */
  private refreshLabelRect(rect: DirtyRect | null): void {
    const slice = this.inputs?.slice;
    const layer = this.labelLayer;
    if (!rect || !slice || !layer) return;
    const x0 = Math.max(0, rect.x);
    const y0 = Math.max(0, rect.y);
    const x1 = Math.min(slice.width, rect.x + rect.width);
    const y1 = Math.min(slice.height, rect.y + rect.height);
    if (x1 <= x0 || y1 <= y0) return;
    renderLabelRect(slice.classes, slice.width, layer.image.data, x0, y0, x1, y1);
    layer.context.putImageData(layer.image, 0, 0, x0, y0, x1 - x0, y1 - y0);
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
    const { scale, offsetX, offsetY } = this.view;
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.globalAlpha = 1;
    context.fillStyle = '#1b1f27';
    context.fillRect(0, 0, this.canvas.width, this.canvas.height);
    context.setTransform(scale, 0, 0, scale, offsetX, offsetY);
    // Smooth when zoomed out (no aliasing), crisp pixels when zoomed in (painting needs to see them).
    context.imageSmoothingEnabled = scale < 1;
    context.drawImage(this.imageLayer.canvas, 0, 0);
    if (inputs.showPrediction && this.predictionLayer && inputs.predictionOpacity > 0) {
      context.globalAlpha = inputs.predictionOpacity;
      context.drawImage(this.predictionLayer.canvas, 0, 0);
    }
    if (inputs.showLabels && this.labelLayer && inputs.labelOpacity > 0) {
      context.globalAlpha = inputs.labelOpacity;
      context.drawImage(this.labelLayer.canvas, 0, 0);
    }
    context.globalAlpha = 1;
    context.setTransform(1, 0, 0, 1, 0, 0);
    if (this.pointer && (inputs.tool === 'brush' || inputs.tool === 'eraser') && !this.spaceHeld) {
      context.strokeStyle = inputs.tool === 'eraser' ? '#ffffff' : '#ffd84a';
      context.lineWidth = 1.5;
      context.beginPath();
      context.arc(this.pointer.x, this.pointer.y, Math.max(2, inputs.brushRadiusPx * scale), 0, 2 * Math.PI);
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
  }
}

function isTyping(e: Event): boolean {
  const target = e.target as HTMLElement | null;
  return !!target && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA');
}
