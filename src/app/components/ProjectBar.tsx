import { useRef, useState, type ChangeEvent } from 'react';
import { useStudioActions, useStudioState } from '../StudioContext';
import './ProjectBar.css';
import { useBusyAction } from './useBusyAction';

/**
 * The project as a whole: export it as one file and import one (a backup, or a move to another
 * browser), "New project" behind an in-page confirmation (it deletes the saved project), a storage
 * warning, and what an import restored; autosave's state is in the status bar.
 */
export function ProjectBar() {
  const project = useStudioState((s) => s.project);
  const training = useStudioState((s) => s.training.status);
  const { newProject, exportProject, importProject, dismissProjectNotice } = useStudioActions();
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const { busy, run } = useBusyAction();
  const newButton = useRef<HTMLButtonElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const onFileChosen = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = ''; // choosing the same file again must fire another change
    if (file) void run('Importing the project…', () => importProject(file));
  };
  const trainingActive = training === 'running' || training === 'paused';

  const close = () => {
    setConfirming(false);
    newButton.current?.focus();
  };
  const confirm = async () => {
    setDeleting(true);
    try {
      await newProject(); // reloads the page on success; a failure lands in the autosave status and errors
    } finally {
      setDeleting(false);
      close();
    }
  };

  return (
    <div className="project-bar">
      {project.storagePersisted === false ? (
        <p className="project-bar-storage" role="note" aria-label="Storage"
          title="This browser may clear the saved project when disk space runs low: export the project to keep it.">
          Storage may be cleared: export the project to keep it
        </p>
      ) : null}
      {project.notice ? (
        <p className="project-bar-notice" role="status" aria-label="Project import">
          <span>{project.notice}</span>
          <button type="button" className="project-bar-dismiss" onClick={dismissProjectNotice} aria-label="Dismiss the import report">×</button>
        </p>
      ) : null}
      {busy ? <span className="project-bar-busy" role="status" aria-label="Project file">{busy}</span> : null}
      <button type="button" className="secondary top-bar-button" disabled={busy !== null || training === 'running'}
        title="Download images, labels, predictions, model, settings and training history as one zip (a backup; import it here or in another browser)"
        onClick={() => void run('Writing the project file…', exportProject)}>
        Export project
      </button>
      <button type="button" className="secondary top-bar-button" disabled={busy !== null || trainingActive}
        title="Open a project zip exported by the studio: every part is checked, and you are asked before the current project is replaced"
        onClick={() => fileInput.current?.click()}>
        Import project
      </button>
      <input ref={fileInput} className="project-bar-file-input" type="file" accept=".zip" aria-label="Project file" aria-hidden="true" tabIndex={-1} onChange={onFileChosen} />
      <button ref={newButton} type="button" className="project-bar-new" aria-haspopup="dialog" aria-expanded={confirming} onClick={() => setConfirming(true)}>
        New project
      </button>
      {confirming ? (
        <div className="project-bar-dialog" role="dialog" aria-label="Start a new project?" onKeyDown={(e) => { if (e.key === 'Escape' && !deleting) close(); }}>
          <h2>Start a new project?</h2>
          <p>Everything saved in this browser is deleted: images, labels, model and training history. Export the project first to keep it.</p>
          <div className="project-bar-dialog-buttons">
            <button type="button" className="project-bar-delete" disabled={deleting} onClick={() => void confirm()}>
              {deleting ? 'Deleting…' : 'Delete everything'}
            </button>
            {/* Focus starts on the harmless choice. */}
            <button type="button" className="project-bar-cancel" disabled={deleting} onClick={close} autoFocus>Cancel</button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
