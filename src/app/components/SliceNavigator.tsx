import { memo, useEffect, useRef } from 'react';
import { autoWindow, renderImageLayer } from '../canvas/layers';
import type { SliceRecord } from '../data/sliceRegistry';
import { useSliceRegistry, useStudioActions, useStudioState } from '../StudioContext';

const THUMB_PX = 56;

/** Draws a small picture of a slice (nearest-neighbour downsampling; once per slice). */
function drawThumbnail(canvas: HTMLCanvasElement, record: SliceRecord): void {
  const step = Math.max(1, Math.ceil(Math.max(record.width, record.height) / THUMB_PX));
  const w = Math.ceil(record.width / step);
  const h = Math.ceil(record.height / step);
  const pixels = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) pixels[y * w + x] = record.pixels[(y * step * record.width + x * step) * record.channels] as number;
  canvas.width = w;
  canvas.height = h;
  canvas.getContext('2d')?.putImageData(new ImageData(renderImageLayer(pixels, w, h, 1, autoWindow(pixels, w, h, 1)), w, h), 0, 0);
}

const Thumbnail = memo(function Thumbnail({ record }: { record: SliceRecord }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => { if (ref.current) drawThumbnail(ref.current, record); }, [record]);
  return <canvas ref={ref} aria-hidden="true" />;
});

/** Thumbnails of every slice (labelled ones marked) plus a slider, for stacks of any length. */
export function SliceNavigator() {
  const slices = useStudioState((s) => s.data.slices);
  const currentId = useStudioState((s) => s.data.currentSliceId);
  const registry = useSliceRegistry();
  const { selectSlice } = useStudioActions();
  const index = slices.findIndex((s) => s.id === currentId);
  if (slices.length === 0) return null;

  return (
    <div className="slice-navigator">
      <label className="row">
        Slice
        <input type="range" min={1} max={slices.length} value={index + 1} aria-label="Slice"
          onChange={(e) => { const next = slices[Number(e.target.value) - 1]; if (next) selectSlice(next.id); }} />
        <span>{index + 1} / {slices.length}</span>
      </label>
      <ul className="thumbnails" aria-label="Slices">
        {slices.map((s) => {
          const record = registry.get(s.id);
          return (
            <li key={s.id}>
              <button type="button" aria-pressed={s.id === currentId} aria-label={s.name} title={`${s.name}${s.labelled ? ' (labelled)' : ''}`}
                className={s.id === currentId ? 'active' : ''} onClick={() => selectSlice(s.id)}>
                {record ? <Thumbnail record={record} /> : null}
                {s.labelled ? <span className="labelled-mark" aria-hidden="true">●</span> : null}
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
