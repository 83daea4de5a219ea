import { useEffect, useRef } from 'react';
import { describeHover } from '../canvas/describeHover';
import { useCanvasReadout } from '../canvas/CanvasReadout';
import { autosaveText } from '../persistence/autosaveText';
import { usePredictionRegistry, useSliceRegistry, useStudio, useStudioState } from '../StudioContext';

const BACKEND = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WebAssembly', cpu: 'CPU' } as const;
const OFF_IMAGE = 'Point at the image to read its pixels';

/**
 * The bar along the bottom of the window: the pixel under the cursor (position, value, label,
 * prediction), the zoom, the backend and autosave. The cursor part is written straight into the DOM
 * from the canvas's readout channel: a pointer move re-renders nothing.
 */
export function StatusBar() {
  const studio = useStudio();
  const slices = useSliceRegistry();
  const predictions = usePredictionRegistry();
  const readout = useCanvasReadout();
  const cursor = useRef<HTMLSpanElement>(null);
  const zoom = useRef<HTMLSpanElement>(null);
  const project = useStudioState((s) => s.project);
  const backend = useStudioState((s) => s.backend);
  const engineStatus = useStudioState((s) => s.engineStatus);

  useEffect(() => {
    if (!readout) return;
    return readout.subscribe(({ cursor: point, zoomPercent }) => {
      if (zoom.current) zoom.current.textContent = zoomPercent === null ? '' : `Zoom ${Math.round(zoomPercent)} %`;
      const element = cursor.current;
      if (!element) return;
      const s = studio.store.getState();
      const slice = s.data.currentSliceId ? slices.get(s.data.currentSliceId) : undefined;
      const hover = point && slice
        ? describeHover(slice, predictions.get(slice.id) ?? null, s.data.classNames, s.prediction.threshold, point.x, point.y)
        : null;
      element.dataset.x = hover ? String(hover.x) : '';
      element.dataset.y = hover ? String(hover.y) : '';
      element.textContent = hover
        ? `x ${hover.x}, y ${hover.y} · value ${hover.value} · label ${hover.label} · prediction ${hover.prediction}`
        : OFF_IMAGE;
    });
  }, [readout, studio, slices, predictions]);

  const saveText = autosaveText(project);
  return (
    <footer className="status-bar">
      {/* Not announced per pointer move (aria-live off): a screen reader reads it when asked. */}
      <span ref={cursor} className="status-bar-cursor" role="status" aria-live="off" aria-label="Under the cursor">{OFF_IMAGE}</span>
      <span ref={zoom} className="status-bar-zoom" />
      <span className="status-bar-backend" data-backend={backend?.backend ?? 'none'}>
        {backend ? BACKEND[backend.backend] : engineStatus === 'failed' ? 'No engine' : 'Engine starting…'}
      </span>
      <span className="status-bar-autosave" role="status" aria-label="Autosave" data-persistence={project.persistence} title={saveText}>
        {saveText}
      </span>
      <span className="status-bar-local">Runs in this tab: images never leave this machine</span>
    </footer>
  );
}
