import { boundsPerTile } from '../../core/image/pixelRect';
import { UNLABELLED } from '../../core/labels/classMap';
import type { ImagePoint } from '../../core/paint/LabelEditor';
import { LabelEditor } from '../../core/paint/LabelEditor';
import type { StudioStore } from '../../store/createStudioStore';
import type { PaintSlice } from '../../store/slices/paintSlice';
import type { ViewSlice } from '../../store/slices/viewSlice';
import type { SliceRegistry } from '../data/sliceRegistry';
import { LABEL_TILE_PX } from '../persistence/sliceChunks';
import type { PredictionRegistry } from '../predict/predictionRegistry';
import { autoWindow } from '../canvas/layers';

/** Image-pixel rectangle that a paint operation changed (the canvas redraws just this). */
export interface DirtyRect { readonly x: number; readonly y: number; readonly width: number; readonly height: number }

export interface PaintActions {
  setPaint(patch: Partial<Pick<PaintSlice['paint'], 'tool' | 'classValue' | 'brushRadiusPx'>>): void;
  setView(patch: Partial<ViewSlice['view']>): void;
  /**
   * Switches the contrast to manual, starting from the window on screen (the slice's automatic
   * 0.5-99.5 % window), not from the dtype's full range (a black image on 16-bit data).
   */
  startManualContrast(): void;
  /** Pointer-level painting on the current slice, in image coordinates. No store update per move. */
  beginStroke(point: ImagePoint): DirtyRect | null;
  extendStroke(point: ImagePoint): DirtyRect | null;
  endStroke(): void;
  fillAt(point: ImagePoint): void;
  undo(): void;
  redo(): void;
  /** Copies the current slice's predicted classes into its labels (one undoable step). */
  acceptPrediction(): void;
}

export const MAX_BRUSH_RADIUS_PX = 64;

/**
 * Painting: one LabelEditor (with its own undo history) per slice, editing the registry's class
 * maps in place. Strokes touch only the registry until they end; then the store hears once.
 */
export function createPaintActions(store: StudioStore, slices: SliceRegistry, predictions: PredictionRegistry): PaintActions {
  const editors = new Map<string, LabelEditor>();
  let last: ImagePoint | null = null;
  slices.subscribe((change) => {
    if (change.kind === 'replaced') editors.clear();
    // New label arrays: the old editor's history edits arrays no longer shown.
    if (change.kind === 'relabelled' && editors.delete(change.id) && store.getState().data.currentSliceId === change.id) {
      store.setState((s) => ({ paint: { ...s.paint, canUndo: false, canRedo: false } }));
    }
  });
  // Undo and redo belong to the slice on screen: refresh the buttons when it changes.
  store.subscribe((state, previous) => {
    if (state.data.currentSliceId === previous.data.currentSliceId) return;
    const editor = state.data.currentSliceId ? editors.get(state.data.currentSliceId) : undefined;
    store.setState((s) => ({ paint: { ...s.paint, canUndo: editor?.canUndo ?? false, canRedo: editor?.canRedo ?? false } }));
  });

  const current = () => {
    const id = store.getState().data.currentSliceId;
    const record = id ? slices.get(id) : undefined;
    if (!id || !record) return null;
    let editor = editors.get(id);
    if (!editor) editors.set(id, (editor = new LabelEditor(record.classes, record.width, record.height)));
    return { id, editor };
  };

  /** After a finished edit: tell the registry (engine sync, autosave) and the store (redraw, undo buttons). */
  const committed = (id: string, editor: LabelEditor) => {
    const rect = editor.lastChangeBounds;
    const change = editor.lastChange;
    // The engine and the autosave get the changed pixels tile by tile: a long stroke's bounding box would be most of a big slice.
    slices.labelsChanged(id, change ? boundsPerTile(change.indices, editor.width, LABEL_TILE_PX) : null, change);
    const labelled = slices.isLabelled(id);
    store.setState((s) => ({
      data: {
        ...s.data,
        labelsRevision: s.data.labelsRevision + 1,
        labelsChange: rect ? { sliceId: id, rect } : null,
        slices: s.data.slices.map((slice) => (slice.id === id && slice.labelled !== labelled ? { ...slice, labelled } : slice)),
      },
      paint: { ...s.paint, canUndo: editor.canUndo, canRedo: editor.canRedo },
    }));
  };

  const rectAround = (a: ImagePoint, b: ImagePoint, r: number): DirtyRect => {
    const x = Math.floor(Math.min(a.x, b.x) - r - 1);
    const y = Math.floor(Math.min(a.y, b.y) - r - 1);
    return { x, y, width: Math.ceil(Math.abs(a.x - b.x) + 2 * r + 3), height: Math.ceil(Math.abs(a.y - b.y) + 2 * r + 3) };
  };

  const paintValue = () => {
    const { tool, classValue } = store.getState().paint;
    return tool === 'eraser' ? UNLABELLED : classValue;
  };

  return {
    setPaint: (patch) => store.setState((s) => ({
      paint: {
        ...s.paint,
        ...patch,
        ...(patch.brushRadiusPx !== undefined ? { brushRadiusPx: Math.max(0.5, Math.min(MAX_BRUSH_RADIUS_PX, patch.brushRadiusPx)) } : {}),
      },
    })),
    setView: (patch) => store.setState((s) => ({ view: { ...s.view, ...patch } })),
    startManualContrast() {
      const { data, view } = store.getState();
      if (view.contrast.mode === 'manual') return;
      const record = data.currentSliceId ? slices.get(data.currentSliceId) : undefined;
      const window = record ? autoWindow(record.pixels, record.width, record.height, record.channels) : { low: 0, high: 255 };
      // Integer data gets integer bounds (the number fields step by whole values), the window kept inside them.
      const integer = record?.dtype !== 'float32';
      const low = integer ? Math.floor(window.low) : window.low;
      const high = integer ? Math.ceil(window.high) : window.high;
      store.setState((s) => ({ view: { ...s.view, contrast: { mode: 'manual', low, high } } }));
    },
    beginStroke(point) {
      const target = current();
      if (!target) return null;
      const r = store.getState().paint.brushRadiusPx;
      target.editor.beginStroke(point, paintValue(), r);
      last = point;
      return rectAround(point, point, r);
    },
    extendStroke(point) {
      const target = current();
      if (!target || !last) return null;
      target.editor.extendStroke(point);
      const rect = rectAround(last, point, store.getState().paint.brushRadiusPx);
      last = point;
      return rect;
    },
    endStroke() {
      const target = current();
      last = null;
      if (target?.editor.endStroke()) committed(target.id, target.editor);
    },
    fillAt(point) {
      const target = current();
      if (target?.editor.floodFill(point, paintValue())) committed(target.id, target.editor);
    },
    undo() {
      const target = current();
      if (target?.editor.undo()) committed(target.id, target.editor);
    },
    redo() {
      const target = current();
      if (target?.editor.redo()) committed(target.id, target.editor);
    },
    acceptPrediction() {
      const target = current();
      if (!target) return;
      const predicted = predictions.classesOf(target.id, store.getState().prediction.threshold);
      if (!predicted) {
        store.setState((s) => ({ errors: [...s.errors, { code: 'no-prediction', message: 'This slice has no prediction yet: run "Predict" first, then accept it as labels.', phase: 'painting' }] }));
        return;
      }
      target.editor.replaceAll(predicted);
      committed(target.id, target.editor);
    },
  };
}
