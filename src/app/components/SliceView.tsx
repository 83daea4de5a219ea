import { memo, useEffect, useRef } from 'react';
import { autoWindow, renderSlice } from '../canvas/drawSlice';
import { useSliceRegistry, useStudioState } from '../StudioContext';

/** Hosts the canvas; drawing is a plain function, scheduled once per animation frame. */
export const SliceView = memo(function SliceView() {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const registry = useSliceRegistry();
  const sliceId = useStudioState((s) => s.data.currentSliceId);
  const revision = useStudioState((s) => s.data.labelsRevision);
  const opacity = useStudioState((s) => s.view.labelOpacity);

  useEffect(() => {
    const canvas = canvasRef.current;
    const slice = sliceId ? registry.get(sliceId) : undefined;
    if (!canvas || !slice) return;
    const frame = requestAnimationFrame(() => {
      canvas.width = slice.width;
      canvas.height = slice.height;
      canvas.getContext('2d')?.putImageData(renderSlice(slice, opacity, autoWindow(slice)), 0, 0);
    });
    return () => cancelAnimationFrame(frame);
  }, [registry, sliceId, revision, opacity]);

  if (!sliceId) return null;
  return <canvas ref={canvasRef} className="slice-canvas" role="img" aria-label="Current slice with labels" data-slice={sliceId} />;
});
