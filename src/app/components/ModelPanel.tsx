import { useRef, type ChangeEvent } from 'react';
import { useStudioActions, useStudioState } from '../StudioContext';
import { chosenPruneLevel } from '../predict/chosenPruneLevel';
import { BioimagePackageForm } from './BioimagePackageForm';
import './ModelPanel.css';
import { useBusyAction } from './useBusyAction';
import { ThirdPartyModelNote } from './ThirdPartyModelNote';

const SOURCE_WORDS = { trained: 'Trained', imported: 'Imported', restored: 'Restored', 'third-party': 'Third-party' } as const;

/** Model files out and in (model.json + weights, or one zip), predictions and labels out as TIFF stacks or PNGs. */
export function ModelPanel() {
  const model = useStudioState((s) => s.model);
  const predictedCount = useStudioState((s) => s.prediction.predictedSliceIds.length);
  const training = useStudioState((s) => s.training.status === 'running');
  const trainingPaused = useStudioState((s) => s.training.status === 'paused');
  const { exportModel, importModel, exportPredictions, exportLabels, exportOnnx, exportBioimagePackage } = useStudioActions();
  const labelledCount = useStudioState((s) => s.data.slices.filter((slice) => slice.labelled).length);
  const pruneLevel = useStudioState(chosenPruneLevel);
  const { busy, run } = useBusyAction();
  const fileInput = useRef<HTMLInputElement>(null);

  const onFilesChosen = (event: ChangeEvent<HTMLInputElement>) => {
    const files = [...(event.target.files ?? [])];
    event.target.value = ''; // choosing the same files again must fire another change
    if (files.length > 0) void run('Importing the model…', () => importModel(files));
  };
  const modelBusy = busy !== null || training;
  // A third-party model is not the studio's to export: its package is the file to share.
  const exportBlocked = !model.available || modelBusy || model.source === 'third-party';
  const noPredictions = predictedCount === 0 || busy !== null;

  return (
    <section aria-labelledby="model-title" className="panel model-panel">
      <h2 id="model-title">Model and exports</h2>
      <p className="model-panel-description" role="status" aria-label="Model" data-model-source={model.source ?? 'none'}>
        {model.available ? `${SOURCE_WORDS[model.source ?? 'trained']} model: ${model.description ?? ''}` : 'No model yet'}
      </p>
      {model.source === 'third-party' && model.thirdParty ? <ThirdPartyModelNote {...model.thirdParty} /> : null}
      {training ? <p className="hint">Pause or stop training to export a model; stop it to import one.</p> : null}
      {trainingPaused ? <p className="hint">Stop training to import a model (the paused run trains the current one).</p> : null}
      <div className="row">
        <button type="button" onClick={() => void run('Preparing the model files…', () => exportModel('files'))} disabled={exportBlocked}>Export model (files)</button>
        <button type="button" onClick={() => void run('Preparing the model zip…', () => exportModel('zip'))} disabled={exportBlocked}>Export model (zip)</button>
        <button type="button" className="model-panel-secondary" onClick={() => fileInput.current?.click()} disabled={modelBusy || trainingPaused}>Import model</button>
        <input ref={fileInput} className="model-panel-file-input" type="file" multiple accept=".json,.bin,.zip" aria-label="Model files" aria-hidden="true" tabIndex={-1} onChange={onFilesChosen} />
      </div>
      {pruneLevel !== null ? <p className="hint" data-prune-level={pruneLevel}>Exports the UNet++ pruned to level {pruneLevel}, as Predict uses it (choose &quot;all&quot; there to export every head).</p> : null}
      <p className="hint">
        Files: model.json, model.weights.bin and model.metadata.json (TensorFlow.js layers format; tf.loadLayersModel reads it).
        To import, choose model.json together with its weights file, or the one .zip; the imported model predicts at once and Train fine-tunes it.
        A bioimage.io package zip from the model zoo (2D, one channel, ONNX or TensorFlow.js weights) imports to predict only.
      </p>
      <div className="row">
        <button type="button" onClick={() => void run('Converting the model to ONNX…', exportOnnx)} disabled={exportBlocked}>Export ONNX</button>
      </div>
      <details className="model-panel-package">
        <summary>bioimage.io package (Fiji / deepImageJ, bioimageio.core)</summary>
        <BioimagePackageForm disabled={exportBlocked} onExport={(form) => void run('Building the bioimage.io package…', () => exportBioimagePackage(form))} />
        <p className="hint">
          ONNX: unet-model.onnx, input float32 (batch, channel, y, x) normalised as the studio does, output the class probabilities.
          Package: one zip with rdf.yaml, the ONNX and TensorFlow.js weights, test tensors and a cover from the current slice, and
          documentation with the held-out scores. docs/export.md says how to open both in Fiji / deepImageJ and bioimageio.core.
        </p>
      </details>
      <div className="row">
        <button type="button" onClick={() => void run('Writing the TIFF stacks…', () => exportPredictions('tiff'))} disabled={noPredictions}>Export masks (TIFF)</button>
        <button type="button" onClick={() => void run('Writing the PNG zip…', () => exportPredictions('png'))} disabled={noPredictions}>Export masks (PNG)</button>
      </div>
      <p className="hint">
        {predictedCount === 0 ? 'Predict first; the exports hold every predicted slice. ' : `${predictedCount} predicted slice(s), in slice order. `}
        TIFF: masks.tif (8-bit class per pixel, after the threshold) and probabilities.tif (32-bit float foreground probability), one page per slice;
        slices of another size get their own pair, named by size.
        PNG: masks-png.zip with masks/&lt;slice&gt;.png, class × 255/(classes − 1) so two classes are 0 and 255,
        and probabilities/&lt;slice&gt;.png, 16-bit, probability × 65535.
      </p>
      <div className="row">
        <button type="button" onClick={() => void run('Writing the label TIFFs…', () => exportLabels('tiff'))} disabled={labelledCount === 0 || busy !== null}>Export labels (TIFF)</button>
        <button type="button" onClick={() => void run('Writing the label PNG zip…', () => exportLabels('png'))} disabled={labelledCount === 0 || busy !== null}>Export labels (PNG)</button>
      </div>
      <p className="hint">
        {labelledCount === 0 ? 'Paint or load labels first. ' : `Labels of ${labelledCount} slice(s), painted or loaded. `}
        TIFF: &lt;image&gt;_labels.tif per image (a stack stays a stack), 8-bit, class k is k and unlabelled is 255;
        drop it with its image and the studio reads the same labels back. Instance maps go to &lt;image&gt;_instances.tif (16-bit).
        PNG: labels-png.zip with &lt;slice&gt;_labels.png (and _instances.png) per slice.
      </p>
      {busy ? <p className="model-panel-busy" role="status" aria-label="Model files progress">{busy}</p> : null}
    </section>
  );
}
