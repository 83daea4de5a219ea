import { UNLABELLED } from '../../core/labels/classMap';
import type { PaintTool } from '../../store/slices/paintSlice';
import { classHexOf } from '../classes/classPaletteOf';
import { MAX_BRUSH_RADIUS_PX } from '../paint/createPaintActions';
import { useStudioActions, useStudioState } from '../StudioContext';
import { revealDirectionControls } from '../../core/text/isolate';

const TOOLS: readonly { tool: PaintTool; label: string; key: string }[] = [
  { tool: 'pan', label: 'Pan and zoom', key: 'Z' },
  { tool: 'brush', label: 'Brush', key: 'P' },
  { tool: 'eraser', label: 'Eraser', key: 'E' },
  { tool: 'fill', label: 'Flood fill', key: 'F' },
];

/** The narrow bar beside the canvas: tools, class picker, brush size, undo/redo (shortcuts on each button's title and in the "?" sheet). */
export function PaintToolbar() {
  const paint = useStudioState((s) => s.paint);
  const classNames = useStudioState((s) => s.data.classNames);
  const classColours = useStudioState((s) => s.data.classColours);
  const hasSlice = useStudioState((s) => s.data.currentSliceId !== null);
  const { setPaint, undo, redo } = useStudioActions();

  return (
    <div className="paint-toolbar">
      <h2 className="paint-toolbar-heading">Tools</h2>
      <div role="radiogroup" aria-label="Tool" className="paint-tools">
        {TOOLS.map(({ tool, label, key }) => (
          <button key={tool} type="button" role="radio" aria-checked={paint.tool === tool} title={`${label} (${key})`}
            className={paint.tool === tool ? 'active' : ''} onClick={() => setPaint({ tool })}>{label}</button>
        ))}
      </div>
      <h2 className="paint-toolbar-heading">Classes</h2>
      <div role="radiogroup" aria-label="Class" className="paint-classes">
        {classNames.map((name, k) => (
          <button key={k} type="button" role="radio" aria-checked={paint.classValue === k} title={`${name} (${k})`}
            className={paint.classValue === k ? 'active' : ''} onClick={() => setPaint({ classValue: k })}>
            <span className="swatch" style={{ background: classHexOf({ classNames, classColours }, k) }} /><bdi>{revealDirectionControls(name)}</bdi>
          </button>
        ))}
        <button type="button" role="radio" aria-checked={paint.classValue === UNLABELLED} title='Paint "not annotated" (U)'
          className={paint.classValue === UNLABELLED ? 'active' : ''} onClick={() => setPaint({ classValue: UNLABELLED })}>
          <span className="swatch swatch-unlabelled" />unlabelled
        </button>
      </div>
      <label className="paint-size">
        <span>Brush radius <span className="paint-size-value">{paint.brushRadiusPx.toFixed(1)} px</span></span>
        <input type="range" min={0.5} max={MAX_BRUSH_RADIUS_PX} step={0.5} value={paint.brushRadiusPx} aria-label="Brush radius"
          onChange={(e) => setPaint({ brushRadiusPx: Number(e.target.value) })} />
      </label>
      <div className="paint-history">
        <button type="button" onClick={undo} disabled={!hasSlice || !paint.canUndo} title="Undo (Ctrl+Z)">Undo</button>
        <button type="button" onClick={redo} disabled={!hasSlice || !paint.canRedo} title="Redo (Ctrl+Shift+Z)">Redo</button>
      </div>
    </div>
  );
}
