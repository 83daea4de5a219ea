import { UNLABELLED } from '../../core/labels/classMap';
import { classHexOf, predictionHexOf } from '../classes/classPaletteOf';
import { useStudioActions, useStudioState } from '../StudioContext';

/** Which layers show, how opaque, and the contrast window (needed for 16-bit data). */
export function LayerControls() {
  const view = useStudioState((s) => s.view);
  const dtype = useStudioState((s) => s.data.slices.find((x) => x.id === s.data.currentSliceId)?.dtype);
  const { setView, setLabelOpacity, startManualContrast } = useStudioActions();
  const range = dtype === 'uint16' ? 65535 : dtype === 'float32' ? 1 : 255;
  const manual = view.contrast.mode === 'manual' ? view.contrast : null;
  const classNames = useStudioState((s) => s.data.classNames);
  const classColours = useStudioState((s) => s.data.classColours);
  // The legend shows the class being painted (the foreground when that is "unlabelled" or the background).
  const paintClass = useStudioState((s) => s.paint.classValue);
  const shown = paintClass !== UNLABELLED && paintClass > 0 && paintClass < classNames.length ? paintClass : Math.min(1, classNames.length - 1);
  const classData = { classNames, classColours };

  return (
    <div className="layer-controls">
      <label><input type="checkbox" checked={view.showLabels} onChange={(e) => setView({ showLabels: e.target.checked })} /> Labels</label>
      <label>
        Label opacity
        <input type="range" min={0} max={1} step={0.05} value={view.labelOpacity} aria-label="Label opacity" onChange={(e) => setLabelOpacity(Number(e.target.value))} />
      </label>
      <label><input type="checkbox" checked={view.showPrediction} onChange={(e) => setView({ showPrediction: e.target.checked })} /> Prediction</label>
      <label>
        Prediction opacity
        <input type="range" min={0} max={1} step={0.05} value={view.predictionOpacity} aria-label="Prediction opacity"
          onChange={(e) => setView({ predictionOpacity: Number(e.target.value) })} />
      </label>
      <label>
        Prediction shows
        <select value={view.predictionView} aria-label="Prediction shows" onChange={(e) => setView({ predictionView: e.target.value as typeof view.predictionView })}>
          <option value="classes">classes</option>
          <option value="probability">foreground probability</option>
          <option value="instances">instances</option>
        </select>
      </label>
      <p className="overlay-legend" aria-label="Overlay legend">
        <span><span className="swatch" style={{ background: classHexOf(classData, shown) }} />Labels: filled in their class&apos;s colour.</span>
        <span>
          <span className="swatch swatch-prediction" style={{ borderColor: predictionHexOf(classData, shown), background: `${predictionHexOf(classData, shown)}44` }} />
          Prediction: outlined in a paler tint of it with a dark rim, faintly filled, so the two never look alike.
        </span>
      </p>
      <fieldset className="contrast">
        <legend>Contrast</legend>
        <label><input type="checkbox" checked={!manual} onChange={(e) => (e.target.checked ? setView({ contrast: { mode: 'auto' } }) : startManualContrast())} /> Auto (0.5–99.5 %)</label>
        {manual ? (
          <>
            <label>Low <input type="number" aria-label="Contrast low" value={manual.low} step={range > 255 ? 10 : 1}
              onChange={(e) => setView({ contrast: { ...manual, low: Number(e.target.value) } })} /></label>
            <label>High <input type="number" aria-label="Contrast high" value={manual.high} step={range > 255 ? 10 : 1}
              onChange={(e) => setView({ contrast: { ...manual, high: Number(e.target.value) } })} /></label>
          </>
        ) : null}
      </fieldset>
    </div>
  );
}
