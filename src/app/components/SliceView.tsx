import { memo, useEffect, useRef } from 'react';
import { useCanvasReadout } from '../canvas/CanvasReadout';
import { SliceCanvasController } from '../canvas/SliceCanvasController';
import { classPaletteOf } from '../classes/classPaletteOf';
import { shortcutFor } from '../paint/shortcuts';
import { usePredictionRegistry, useSliceRegistry, useStudio, useStudioActions } from '../StudioContext';

/**
 * Hosts the slice canvas. The controller (a plain class) draws and handles pointer input; this
 * component only hands it the store's state when that changes, and maps shortcut keys to actions.
 */
export const SliceView = memo(function SliceView() {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const controllerRef = useRef<SliceCanvasController | null>(null);
  const studio = useStudio();
  const registry = useSliceRegistry();
  const predictions = usePredictionRegistry();
  const actions = useStudioActions();
  const readout = useCanvasReadout();

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const controller = new SliceCanvasController(canvas, actions, readout);
    const push = () => {
      const s = studio.store.getState();
      const slice = s.data.currentSliceId ? registry.get(s.data.currentSliceId) ?? null : null;
      canvas.dataset.slice = slice?.id ?? '';
      canvas.dataset.imageWidth = String(slice?.width ?? 0);
      controller.update({
        slice,
        labelsRevision: s.data.labelsRevision,
        labelsChange: s.data.labelsChange,
        prediction: slice ? predictions.get(slice.id) ?? null : null,
        predictionRevision: s.prediction.revision,
        predictionView: s.view.predictionView,
        threshold: s.prediction.threshold,
        palette: classPaletteOf(s.data),
        labelOpacity: s.view.labelOpacity,
        predictionOpacity: s.view.predictionOpacity,
        showLabels: s.view.showLabels,
        showPrediction: s.view.showPrediction,
        contrast: s.view.contrast,
        tool: s.paint.tool,
        brushRadiusPx: s.paint.brushRadiusPx,
      });
    };
    push();
    const unsubscribe = studio.store.subscribe(push);
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName)) return;
      const s = studio.store.getState();
      if (s.view.shortcutSheetOpen) return; // the sheet is modal
      const command = shortcutFor(e, s.data.classNames.length);
      if (!command) return;
      // PageUp / PageDown inside the side panel scroll it, as everywhere else.
      if (command.kind === 'slice' && e.key.startsWith('Page') && target?.closest('.workflow')) return;
      e.preventDefault();
      switch (command.kind) {
        case 'tool': actions.setPaint({ tool: command.tool }); return;
        case 'class': actions.setPaint({ classValue: command.classValue, tool: s.paint.tool === 'pan' || s.paint.tool === 'eraser' ? 'brush' : s.paint.tool }); return;
        case 'brush': actions.setPaint({ brushRadiusPx: s.paint.brushRadiusPx * command.factor }); return;
        case 'undo': actions.undo(); return;
        case 'redo': actions.redo(); return;
        case 'fit': controller.fit(); return;
        case 'zoom': controller.zoom(command.factor); return;
        case 'slice': {
          const index = s.data.slices.findIndex((slice) => slice.id === s.data.currentSliceId);
          const next = s.data.slices[Math.max(0, Math.min(s.data.slices.length - 1, index + command.delta))];
          if (next && next.id !== s.data.currentSliceId) actions.selectSlice(next.id);
          return;
        }
      }
    };
    window.addEventListener('keydown', onKey);
    controllerRef.current = controller;
    return () => {
      unsubscribe();
      window.removeEventListener('keydown', onKey);
      controller.dispose();
      controllerRef.current = null;
    };
  }, [studio, registry, predictions, actions, readout]);

  return (
    <div className="slice-view">
      <canvas ref={canvasRef} className="slice-canvas" role="img" aria-label="Current slice with labels" tabIndex={0} />
      <div className="slice-view-zoom" role="group" aria-label="Zoom">
        <button type="button" aria-label="Zoom in" title="Zoom in (+)" onClick={() => controllerRef.current?.zoom(1.25)}>+</button>
        <button type="button" aria-label="Zoom out" title="Zoom out (−)" onClick={() => controllerRef.current?.zoom(0.8)}>−</button>
        <button type="button" aria-label="Fit to view" title="Fit (H)" onClick={() => controllerRef.current?.fit()}>Fit</button>
      </div>
    </div>
  );
});
