import { useEffect, useRef, useState } from 'react';
import { classPaletteOf } from '../classes/classPaletteOf';
import type { SliceRecord } from '../data/sliceRegistry';
import type { ElasticPreview } from '../preview/elasticPreview';
import { elasticPreview, ELASTIC_LIMITS, withGrid } from '../preview/elasticPreview';
import type { SliceWeightMap } from '../preview/weightMapImage';
import { colourBarGradient, weightMapForSlice, weightMapToImage } from '../preview/weightMapImage';
import { useSliceRegistry, useStudioActions, useStudioState } from '../StudioContext';
import './PreviewPanel.css';

/** Waits this long after the last control change before warping, so typing "10" warps once. */
const SETTLE_MS = 120;

type Computed<T> = { readonly value: T; readonly ms: number; readonly sliceId: string } | { readonly error: string; readonly sliceId: string };

/**
 * What training will see for the current slice: the paper's weight map and one elastic
 * deformation. Computation runs in effects (pure functions in src/app/preview); canvases are
 * drawn with putImageData, never by React.
 */
export function PreviewPanel() {
  // Weight maps and warps cost time on big slices: computed only while this step is open.
  const open = useStudioState((s) => s.view.openStep === 'Previews');
  return (
    <section aria-labelledby="preview-title" className="panel preview-panel">
      <h2 id="preview-title">Previews</h2>
      <p className="hint">The weight map and an elastic deformation of the current slice, as training sees them.</p>
      {open ? <PreviewBody /> : null}
    </section>
  );
}

function PreviewBody() {
  const sliceId = useStudioState((s) => s.data.currentSliceId);
  const labelsRevision = useStudioState((s) => s.data.labelsRevision);
  const slices = useStudioState((s) => s.data.slices); // a new list when the registry is replaced
  const registry = useSliceRegistry();
  const record = sliceId ? registry.get(sliceId) ?? null : null;
  const [weightMap, setWeightMap] = useState<Computed<SliceWeightMap> | null>(null);

  useEffect(() => {
    if (!record) return;
    const handle = setTimeout(() => setWeightMap(compute(record.id, () => weightMapForSlice(record), 'The weight map')), 0);
    return () => clearTimeout(handle);
  }, [record, labelsRevision, slices]);

  if (!record) return <div id="preview-body"><p className="hint">Load images or the example to see previews.</p></div>;
  const current = weightMap && weightMap.sliceId === record.id ? weightMap : null;
  return (
    <div id="preview-body" className="preview-panel-body">
      <WeightMapView record={record} computed={current} />
      <ElasticView record={record} weightMap={current && 'value' in current ? current.value : null} />
    </div>
  );
}

function WeightMapView({ record, computed }: { readonly record: SliceRecord; readonly computed: Computed<SliceWeightMap> | null }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const map = computed && 'value' in computed ? computed.value : null;
  const ms = computed && 'ms' in computed ? computed.ms : 0;
  useEffect(() => {
    if (canvasRef.current && map) drawRgba(canvasRef.current, weightMapToImage(map.weights, record.width, record.height, map.max, map.min), record.width, record.height);
  }, [map, record]);

  return (
    <div className="preview-panel-weights">
      <h3>Weight map</h3>
      <p className="hint">
        w(x) = w<sub>c</sub>(x) + w<sub>0</sub>·exp(−(d<sub>1</sub>+d<sub>2</sub>)²/2σ²) with w<sub>0</sub> = 10, σ = 5 px and class balance
        w<sub>c</sub>; touching objects are separated by background borders, unlabelled pixels weigh 0.
      </p>
      {computed && 'error' in computed ? <p role="alert" className="panel-error">{computed.error}</p> : null}
      {map && !map.labelled ? <p className="preview-panel-notice">This slice has no labels yet: paint some to see its weight map.</p> : null}
      <canvas ref={canvasRef} className="preview-panel-canvas" role="img" aria-label="Weight map preview"
        data-max-weight={map ? String(map.max) : undefined} data-nonzero-pixels={map ? String(map.nonzeroPixels) : undefined} />
      {map ? (
        <>
          <div className="preview-panel-colourbar">
            <span>{map.min.toFixed(2)}</span>
            <div role="img" aria-label="Weight map colour bar" title={`weights from ${map.min.toFixed(2)} to ${map.max.toFixed(2)}`}
              className="preview-panel-colourbar-gradient" style={{ backgroundImage: colourBarGradient() }} />
            <span>{map.max.toFixed(2)}</span>
          </div>
          <p className="preview-panel-timing">
            {map.nonzeroPixels} of {record.width * record.height} pixels weighted; computed in {Math.round(ms)} ms
          </p>
        </>
      ) : null}
    </div>
  );
}

function ElasticView({ record, weightMap }: { readonly record: SliceRecord; readonly weightMap: SliceWeightMap | null }) {
  const elastic = useStudioState((s) => s.preview.elastic);
  const { setElastic, newElasticSample } = useStudioActions();
  const [showGrid, setShowGrid] = useState(true);
  const [messages, setMessages] = useState<{ grid: readonly string[]; sigma: readonly string[] }>({ grid: [], sigma: [] });
  const [preview, setPreview] = useState<Computed<ElasticPreview> | null>(null);
  const imageRef = useRef<HTMLCanvasElement>(null);
  const labelsRef = useRef<HTMLCanvasElement>(null);
  const weightsRef = useRef<HTMLCanvasElement>(null);
  const { gridSize, sigmaPx, seed } = elastic;
  const palette = useStudioState((s) => classPaletteOf(s.data));

  useEffect(() => {
    if (!weightMap) return;
    const handle = setTimeout(() => setPreview(compute(record.id, () => elasticPreview(record, { gridSize, sigmaPx }, seed, weightMap, palette), 'The elastic deformation')), SETTLE_MS);
    return () => clearTimeout(handle);
  }, [record, weightMap, gridSize, sigmaPx, seed, palette]);

  const result = preview && preview.sliceId === record.id && 'value' in preview ? preview.value : null;
  useEffect(() => {
    if (!result) return;
    const { width, height } = result.crop;
    if (imageRef.current) drawRgba(imageRef.current, showGrid ? withGrid(result.imageRgba, result.gridMask) : result.imageRgba, width, height);
    if (labelsRef.current) drawRgba(labelsRef.current, result.labelsRgba, width, height);
    if (weightsRef.current) drawRgba(weightsRef.current, result.weightsRgba, width, height);
  }, [result, showGrid]);

  const cropped = result && (result.crop.width < record.width || result.crop.height < record.height);
  const { gridSize: gridLimits, sigmaPx: sigmaLimits } = ELASTIC_LIMITS;
  return (
    <div className="preview-panel-elastic">
      <h3>Elastic deformation</h3>
      <p className="hint">
        Random displacements on a coarse grid (the paper: 3×3 points, σ = 10 px), interpolated bicubically; image, labels (nearest
        neighbour) and weights are warped together, exactly as training draws them for this sample.
      </p>
      <div className="preview-panel-controls">
        <NumberField label="Grid points" value={gridSize} min={gridLimits.min} max={gridLimits.max} step={1}
          messageId={messages.grid.length > 0 ? 'preview-grid-message' : undefined}
          onValue={(v) => { const grid = setElastic({ gridSize: v }); setMessages((m) => ({ ...m, grid })); }} />
        <NumberField label="Displacement sigma (px)" value={sigmaPx} min={sigmaLimits.min} max={sigmaLimits.max} step={1}
          messageId={messages.sigma.length > 0 ? 'preview-sigma-message' : undefined}
          onValue={(v) => { const sigma = setElastic({ sigmaPx: v }); setMessages((m) => ({ ...m, sigma })); }} />
        <button type="button" onClick={newElasticSample}>New sample</button>
        <label><input type="checkbox" checked={showGrid} onChange={(e) => setShowGrid(e.target.checked)} /> Show deformation grid</label>
      </div>
      {messages.grid.length > 0 ? <p id="preview-grid-message" role="alert" className="preview-panel-message">{messages.grid.join(' ')}</p> : null}
      {messages.sigma.length > 0 ? <p id="preview-sigma-message" role="alert" className="preview-panel-message">{messages.sigma.join(' ')}</p> : null}
      {preview && 'error' in preview && preview.sliceId === record.id ? <p role="alert" className="panel-error">{preview.error}</p> : null}
      <div className="preview-panel-triptych">
        {([['Deformed image', imageRef], ['Deformed labels', labelsRef], ['Deformed weight map', weightsRef]] as const).map(([name, ref]) => (
          <figure key={name}>
            <canvas ref={ref} className="preview-panel-canvas" role="img" aria-label={name}
              data-seed={result?.seed} data-grid-points={result?.params.gridSize} data-sigma-px={result?.params.sigmaPx} />
            <figcaption>{name}</figcaption>
          </figure>
        ))}
      </div>
      {result && preview && 'ms' in preview ? (
        <p className="preview-panel-timing">
          Sample {result.seed}: largest displacement {result.maxDisplacementPx.toFixed(1)} px
          {cropped ? `; centre ${result.crop.width}×${result.crop.height} of ${record.width}×${record.height} px` : ''}; warped in {Math.round(preview.ms)} ms
        </p>
      ) : null}
    </div>
  );
}

/**
 * A number input whose text is the user's until they leave it (so typing "10" is not fought by
 * clamping the "1"); every change goes to the store, which clamps or refuses it with a message.
 */
function NumberField(props: {
  readonly label: string; readonly value: number; readonly min: number; readonly max: number; readonly step: number;
  readonly messageId: string | undefined; readonly onValue: (value: number) => void;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <label>
      {props.label}
      <input type="number" value={draft ?? String(props.value)} min={props.min} max={props.max} step={props.step}
        aria-invalid={props.messageId !== undefined} aria-describedby={props.messageId}
        onChange={(e) => {
          setDraft(e.target.value);
          props.onValue(e.target.value.trim() === '' ? Number.NaN : Number(e.target.value));
        }}
        onBlur={() => setDraft(null)} />
    </label>
  );
}

function compute<T>(sliceId: string, run: () => T, what: string): Computed<T> {
  const started = performance.now();
  try {
    return { value: run(), ms: performance.now() - started, sliceId };
  } catch (error) {
    return { error: `${what} of this slice could not be computed: ${error instanceof Error ? error.message : String(error)}`, sliceId };
  }
}

function drawRgba(canvas: HTMLCanvasElement, rgba: Uint8ClampedArray<ArrayBuffer>, width: number, height: number): void {
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  canvas.getContext('2d')?.putImageData(new ImageData(rgba, width, height), 0, 0);
}
