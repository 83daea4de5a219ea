import { useRef, useState, type ChangeEvent, type DragEvent } from 'react';
import type { DroppedFile } from '../data/createImportActions';
import { readDroppedItems, readPickedFiles } from '../data/readDroppedItems';
import { replacingLabelsQuestion } from '../data/replacingLabels';
import { useStudioActions, useStudioState } from '../StudioContext';
import { LabelFileList } from './LabelFileList';
import { PairByHand } from './PairByHand';
import './DropZone.css';

const ACCEPT = '.tif,.tiff,.png,.jpg,.jpeg';

/** Files and folders in: drop them, or choose them; then the import's summary and every file it could not use. */
export function DropZone() {
  const { importFiles } = useStudioActions();
  const state = useStudioState((s) => s.data.import);
  const slices = useStudioState((s) => s.data.slices);
  const [dragging, setDragging] = useState(false);
  const [gathering, setGathering] = useState<string | null>(null);
  const [readFailure, setReadFailure] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const reading = state.status === 'reading' || gathering !== null;

  const start = (files: DroppedFile[]) => {
    const question = replacingLabelsQuestion(slices);
    if (question && !window.confirm(question)) {
      setGathering(null);
      return;
    }
    setGathering(`Reading ${files.length} file${files.length === 1 ? '' : 's'}…`);
    void importFiles(files).finally(() => setGathering(null)); // importFiles never throws: outcomes land in the store
  };
  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    setReadFailure(null);
    setGathering('Reading the dropped files and folders…');
    readDroppedItems(event.dataTransfer).then(start, (error: unknown) => {
      setGathering(null);
      setReadFailure(`The dropped items could not be read (${error instanceof Error ? error.message : String(error)}). Try choosing them with the buttons instead.`);
    });
  };
  const onPicked = (event: ChangeEvent<HTMLInputElement>) => {
    const files = event.target.files ? readPickedFiles(event.target.files) : [];
    event.target.value = ''; // choosing the same files again must fire another change
    setReadFailure(null);
    if (files.length > 0) start(files);
  };
  const onDragOver = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault(); // without this the browser opens the file instead of dropping it here
    event.dataTransfer.dropEffect = 'copy';
    setDragging(true);
  };
  const onDragLeave = (event: DragEvent<HTMLDivElement>) => {
    if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
  };

  return (
    <div
      role="region"
      aria-label="Drop images and labels here"
      className={`drop-zone${dragging ? ' drop-zone-dragging' : ''}`}
      data-dragging={dragging}
      onDragEnter={onDragOver}
      onDragOver={onDragOver}
      onDragLeave={onDragLeave}
      onDrop={onDrop}
    >
      <p className="drop-zone-prompt">Drop images and label files or folders here (TIFF stacks, PNG, JPEG)</p>
      <div className="row">
        <button type="button" onClick={() => fileInput.current?.click()} disabled={reading}>Choose files</button>
        <button type="button" className="drop-zone-secondary" onClick={() => folderInput.current?.click()} disabled={reading}>Choose folder</button>
      </div>
      <input ref={fileInput} className="drop-zone-input" type="file" multiple accept={ACCEPT} aria-label="Image and label files" aria-hidden="true" tabIndex={-1} onChange={onPicked} />
      {/* webkitdirectory is not in React's types; set as an attribute, every current browser honours it. */}
      <input
        ref={(input) => { folderInput.current = input; input?.setAttribute('webkitdirectory', ''); }}
        className="drop-zone-input" type="file" multiple aria-label="Folder of images and labels" aria-hidden="true" tabIndex={-1} onChange={onPicked}
      />
      <p className="hint">Labels pair with images by name: train-volume.tif with train-labels.tif, x.png with x_mask.png, images/x.png with labels/x.png. Images without labels load unlabelled, to paint.</p>
      {reading ? <p className="drop-zone-progress" role="status" aria-label="Import progress">{gathering ?? 'Reading files…'}</p> : null}
      {!reading && state.summary ? (
        <p className={`drop-zone-summary drop-zone-${state.status}`} role="status" aria-label="Import summary" data-import-status={state.status}>{state.summary}</p>
      ) : null}
      {!reading ? <LabelFileList /> : null}
      {!reading ? <PairByHand /> : null}
      {readFailure ? <p className="drop-zone-failed" role="alert">{readFailure}</p> : null}
      {!reading && state.problems.length > 0 ? (
        <ul className="drop-zone-problems" aria-label="Files not used">
          {state.problems.map((problem, index) => <li key={`${index}:${problem.path}`} data-path={problem.path} data-skipped={problem.skipped ?? false}>{problem.message}</li>)}
        </ul>
      ) : null}
    </div>
  );
}
