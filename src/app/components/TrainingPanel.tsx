import { useMemo, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { BackendName } from '../../engine/protocol';
import { useStudioActions, useStudioState } from '../StudioContext';
import { bestValidation, chartSeries, formatEta } from '../training/chartData';
import { formatLearningRate, type LearningRateSchedule } from '../../core/train/learningRateSchedule';
import type { PresetName, TrainingChoices } from '../training/trainingPresets';
import { averagesWeights, PRESET_NAMES, presetGeometry, presetWarning, scheduleOfChoices, snapTileSizePx, TRAINING_PRESETS } from '../training/trainingPresets';
import { isolate } from '../../core/text/isolate';
import type { StarterId } from '../model/starterModels';
import { STARTER_FINE_TUNE_LEARNING_RATE, STARTER_MODELS, startFromPatch } from '../model/starterModels';
import { NetworkChoiceFields } from './NetworkChoiceFields';
import { TrainingChart } from './TrainingChart';
import { EngineMemoryNote } from './EngineMemoryNote';
import './TrainingPanel.css';

const END_WORDS: Record<'completed' | 'stopped' | 'device-lost', string> = { completed: 'done', stopped: 'stopped', 'device-lost': 'stopped: the GPU was lost' };

const BACKEND_LABEL: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WebAssembly (CPU)', cpu: 'CPU' };

interface NumberFieldProps {
  readonly label: string;
  readonly value: number;
  readonly step: number | 'any';
  readonly min: number;
  readonly onCommit: (value: number) => void;
  /** Commit each keystroke that parses; off for fields that snap (a half-typed "57" must not snap to 64). */
  readonly live: boolean;
}

/** A number input that keeps what is being typed and hands the store a finite number: live, or on blur / Enter. */
function NumberField({ label, value, step, min, onCommit, live }: NumberFieldProps) {
  const [draft, setDraft] = useState<string | null>(null);
  const commit = (text: string) => {
    const parsed = Number(text);
    if (text.trim() !== '' && Number.isFinite(parsed)) onCommit(parsed);
  };
  const finish = () => {
    if (draft !== null) commit(draft);
    setDraft(null);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') finish();
  };
  return (
    <label className="training-panel-field">
      <span>{label}</span>
      <input
        type="number"
        value={draft ?? String(value)}
        step={step}
        min={min}
        onChange={(event) => {
          setDraft(event.target.value);
          if (live) commit(event.target.value);
        }}
        onBlur={finish}
        onKeyDown={onKeyDown}
      />
    </label>
  );
}

/** `content` as it is, or while `folded`, inside a closed <details> whose summary says what it holds in one line. */
function foldWhile(folded: boolean, line: string, content: ReactNode) {
  if (!folded) return content;
  return (
    <details className="training-panel-settings-box">
      <summary className="training-panel-settings-summary">Settings, locked during the run: <span className="training-panel-settings-line">{line}</span></summary>
      {content}
    </details>
  );
}

/** The settings of a run in one line, for the folded settings during it. */
function settingsLine(presetLabel: string, choices: TrainingChoices): string {
  const decay = scheduleOfChoices(choices) === 'cosine' ? ' (cosine decay)' : '';
  const averaged = averagesWeights(choices) ? ', weights averaged' : '';
  return `${presetLabel}, ${choices.steps} steps, learning rate ${choices.learningRate}${decay}, tile ${choices.tileSizePx} px, batch ${choices.batchSize}${averaged}`;
}

/** Presets and key parameters, start / pause / resume / stop, and the run as it goes: progress, curves, speed, backend. */
export function TrainingPanel() {
  const training = useStudioState((s) => s.training);
  const choices = useStudioState((s) => s.trainingChoices);
  const engineStatus = useStudioState((s) => s.engineStatus);
  const backend = useStudioState((s) => s.backend);
  const labelledCount = useStudioState((s) => s.data.slices.filter((slice) => slice.labelled).length);
  const allSlices = useStudioState((s) => s.data.slices);
  const labelledSlices = useMemo(() => allSlices.filter((slice) => slice.labelled), [allSlices]);
  const classNames = useStudioState((s) => s.data.classNames);
  const model = useStudioState((s) => s.model);
  const { setTrainingChoices, startTraining, pauseTraining, resumeTraining, stopTraining, loadStarterModel } = useStudioActions();
  const [tileNote, setTileNote] = useState<string | null>(null);
  // A start is under way from the click until the engine answers; a refused start never gets here.
  const { starting } = training;
  const slices = useStudioState((s) => s.data.slices);
  const curves = useMemo(() => chartSeries(training), [training]);
  // The split names its slices while they exist; after another dataset is loaded it no longer applies.
  const split = useMemo(() => {
    if (!training.splitDescription) return null;
    const names = training.validationSliceIds.map((id) => slices.find((s) => s.id === id)?.name);
    return names.every((n) => n !== undefined) ? { description: training.splitDescription, names: names as string[] } : null;
  }, [training.splitDescription, training.validationSliceIds, slices]);

  const { status } = training;
  const active = status === 'running' || status === 'paused';
  // Settings cannot change during a run: they fold into one line (a closed <details>, mounted as the run starts)
  // so the progress, curves and Stop stay in view on a laptop screen; they unfold when the run ends.
  const locked = active || starting;
  const ready = engineStatus === 'ready';
  // A third-party model predicts only: continuing it is refused here, with the reason; fresh weights replace it.
  const predictOnly = model.source === 'third-party' && !choices.freshWeights ? model.thirdParty?.predictOnlyReason ?? null : null;
  const preset = TRAINING_PRESETS[choices.preset];
  const warning = presetWarning(choices.preset, backend?.backend ?? null);
  const totalSteps = training.totalSteps || choices.steps;
  const lastLoss = training.losses.at(-1)?.loss;
  const best = training.bestStep !== null
    ? training.validation.find((v) => v.step === training.bestStep) ?? null
    : bestValidation(training.validation);

  const onTileSize = (requestedPx: number) => {
    const { tileSizePx, snapped } = snapTileSizePx(requestedPx, presetGeometry(choices.preset));
    const { padding, depth } = preset.settings.unet;
    setTileNote(snapped ? `${requestedPx} px does not fit this ${padding}-padded U-Net of depth ${depth}; snapped to ${tileSizePx} px.` : null);
    setTrainingChoices({ tileSizePx });
  };
  const onStart = () => startTraining();

  return (
    <section aria-labelledby="training-title" className="panel training-panel">
      <h2 id="training-title">Train</h2>

      {foldWhile(locked, settingsLine(preset.label, choices), <>
        <fieldset className="training-panel-settings" disabled={locked}>
          <legend className="training-panel-legend">Settings</legend>
          <label className="training-panel-field">
            <span>Preset</span>
            <select
              value={choices.preset}
              onChange={(event) => {
                setTileNote(null);
                setTrainingChoices({ preset: event.target.value as PresetName });
              }}
            >
              {PRESET_NAMES.map((name) => <option key={name} value={name}>{TRAINING_PRESETS[name].label}</option>)}
            </select>
          </label>
          <p className="hint training-panel-description">{preset.description}</p>
          <NetworkChoiceFields />
          {warning ? <p className="training-panel-warning" role="note" data-warning="slow-backend">{warning}</p> : null}
          <div className="training-panel-fields">
            <NumberField label="Steps" value={choices.steps} step={1} min={1} live onCommit={(steps) => setTrainingChoices({ steps })} />
            <NumberField label="Learning rate" value={choices.learningRate} step="any" min={0} live onCommit={(learningRate) => setTrainingChoices({ learningRate })} />
            <label className="training-panel-field">
              <span>Schedule</span>
              <select value={scheduleOfChoices(choices)} title="Cosine decay lowers the rate along half a cosine to 1/100 of it at the last step" onChange={(event) => setTrainingChoices({ schedule: event.target.value as LearningRateSchedule })}>
                <option value="constant">Constant</option>
                <option value="cosine">Cosine decay</option>
              </select>
            </label>
            <NumberField label="Tile size (px)" value={choices.tileSizePx} step={2 ** preset.settings.unet.depth} min={16} live={false} onCommit={onTileSize} />
            <NumberField label="Batch size" value={choices.batchSize} step={1} min={1} live onCommit={(batchSize) => setTrainingChoices({ batchSize })} />
          </div>
          {tileNote ? <p className="hint training-panel-tile-note" role="status" aria-label="Tile size note">{tileNote}</p> : null}
          {labelledSlices.length > 1 ? (
            <details className="training-panel-validation">
              <summary>
                Validation slices: {choices.validationSliceIds.length > 0 ? `${choices.validationSliceIds.length} chosen` : 'the last fifth of the labelled slices (choose)'}
              </summary>
              <ul aria-label="Validation slices">
                {labelledSlices.map((slice) => (
                  <li key={slice.id}>
                    <label>
                      <input
                        type="checkbox"
                        checked={choices.validationSliceIds.includes(slice.id)}
                        onChange={(event) => setTrainingChoices({
                          validationSliceIds: event.target.checked ? [...choices.validationSliceIds, slice.id] : choices.validationSliceIds.filter((id) => id !== slice.id),
                        })}
                      />{' '}
                      <bdi>{slice.name}</bdi>
                    </label>
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
          <label className="training-panel-check">
            <input type="checkbox" checked={choices.augment} onChange={(event) => setTrainingChoices({ augment: event.target.checked })} />
            Augmentation (elastic, flips, rotation)
          </label>
          <label className="training-panel-check" title="The model is a moving average of the weights over about the last 100 steps: it does not swing from step to step as the weights do">
            <input type="checkbox" checked={averagesWeights(choices)} onChange={(event) => setTrainingChoices({ averageWeights: event.target.checked })} />
            Average the weights (steadier model)
          </label>
          <label className="training-panel-field">
            <span>Start from</span>
            <select
              value={model.available && choices.freshWeights ? 'fresh' : 'current'}
              onChange={(event) => {
                const value = event.target.value;
                if (value === 'fresh' || value === 'current') setTrainingChoices(startFromPatch(choices, value === 'fresh'));
                else void loadStarterModel(value as StarterId);
              }}
            >
              <option value="current">{model.available ? `the current model (${model.description ?? 'no description'})` : 'fresh weights (no model yet)'}</option>
              {model.available ? <option value="fresh">fresh weights</option> : null}
              {STARTER_MODELS.map((starter) => <option key={starter.id} value={starter.id}>{`starter: ${starter.title}`}</option>)}
            </select>
          </label>
        </fieldset>

        <p className="hint">
          {labelledCount === 0 ? 'No labelled slice yet: paint some strokes first.' : `${labelledCount} labelled slice(s), ${classNames.length} classes (${classNames.map(isolate).join(', ')}).`}
          {' '}Training continues from the current model when its network is the preset's. A starter model predicts at once, and
          training fine-tunes it at learning rate {STARTER_FINE_TUNE_LEARNING_RATE}, which keeps what it knows in the first minutes (cards: <a href={`${import.meta.env.BASE_URL}starters/nuclei/card.md`} target="_blank" rel="noreferrer">nuclei</a>,{' '}
          <a href={`${import.meta.env.BASE_URL}starters/em/card.md`} target="_blank" rel="noreferrer">EM</a>).
        </p>
      </>)}

      <div className="row">
        <button type="button" onClick={onStart} disabled={!ready || active || starting || predictOnly !== null} aria-describedby={predictOnly ? 'training-predict-only' : undefined}>Start training</button>
        <button type="button" className="secondary" onClick={pauseTraining} disabled={status !== 'running'}>Pause</button>
        <button type="button" className="secondary" onClick={resumeTraining} disabled={status !== 'paused'}>Resume</button>
        <button type="button" className="secondary" onClick={stopTraining} disabled={!active}>Stop</button>
      </div>

      {predictOnly ? <p id="training-predict-only" className="hint training-panel-predict-only" role="status" aria-label="Training unavailable">{predictOnly}</p> : null}

      <div
        className="training-panel-progress"
        role="progressbar"
        aria-label="Training progress"
        aria-valuemin={0}
        aria-valuenow={training.step}
        aria-valuemax={totalSteps}
        aria-valuetext={`step ${training.step} of ${totalSteps}`}
      >
        <div className="training-panel-progress-bar" style={{ width: `${totalSteps > 0 ? Math.min(100, (100 * training.step) / totalSteps) : 0}%` }} />
      </div>

      <p className="training-panel-status" role="status" aria-label="Training status" data-status={starting ? 'starting' : status}>
        {starting ? 'Starting: preparing the tiles and the network… ' : null}
        <span>Step {training.step} / {totalSteps}</span>
        {training.fromStep > 0 ? <span> (continuing after {training.fromStep} earlier steps)</span> : null}
        <span> · loss {lastLoss === undefined ? '—' : lastLoss.toFixed(4)}</span>
        {training.learningRate === null ? null : <span> · learning rate {formatLearningRate(training.learningRate)}</span>}
        <span> · {training.tilesPerSecond === null ? '—' : training.tilesPerSecond.toFixed(1)} tiles/s</span>
        <span> · ETA {status === 'running' ? formatEta(training.etaSeconds) : '—'}</span>
        {status === 'paused' ? <span> · paused</span> : null}
        {status === 'done' ? <span> · {END_WORDS[training.endReason ?? 'completed']}</span> : null}
        {status === 'failed' ? <span> · failed (see the error above)</span> : null}
      </p>

      <p className="hint training-panel-backend" data-backend={backend?.backend ?? 'none'}>
        {backend ? `Running on ${BACKEND_LABEL[backend.backend]}${backend.adapter ? ` · ${backend.adapter}` : ''}` : 'The compute engine is starting…'}
      </p>
      <EngineMemoryNote memory={training.memory} />
      {split ? <p className="hint training-panel-split">Split: {split.description}{split.names.length > 0 ? <>: {split.names.map((name, i) => <span key={i}>{i > 0 ? ', ' : ''}<bdi>{name}</bdi></span>)}</> : null}</p> : null}
      {best ? (
        <p className="training-panel-best" data-best-step={best.step}>
          Best validation: step {best.step} (loss {best.loss.toFixed(4)}, foreground IoU {Number.isFinite(best.foregroundIoU) ? best.foregroundIoU.toFixed(3) : '—'})
          {status === 'done' ? '; the model keeps these weights.' : null}
        </p>
      ) : null}
      {training.notices.length > 0 ? (
        <ul className="training-panel-notices" aria-label="Training notices">
          {training.notices.map((notice, index) => <li key={index}>{notice}</li>)}
        </ul>
      ) : null}

      <TrainingChart losses={curves.losses} validation={curves.validation} />
    </section>
  );
}
