import { useRef, useState } from 'react';
import { useStudioActions, useStudioState } from '../StudioContext';
import './ProjectBar.css';

/** "New project" behind an in-page confirmation (it deletes the saved project), and a storage warning; autosave's state is in the status bar. */
export function ProjectBar() {
  const project = useStudioState((s) => s.project);
  const { newProject } = useStudioActions();
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const newButton = useRef<HTMLButtonElement>(null);

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
          title="This browser may clear the saved project when disk space runs low: export the model to keep it, and keep your image and label files.">
          Storage may be cleared: export the model to keep it
        </p>
      ) : null}
      <button ref={newButton} type="button" className="project-bar-new" aria-haspopup="dialog" aria-expanded={confirming} onClick={() => setConfirming(true)}>
        New project
      </button>
      {confirming ? (
        <div className="project-bar-dialog" role="dialog" aria-label="Start a new project?" onKeyDown={(e) => { if (e.key === 'Escape' && !deleting) close(); }}>
          <h2>Start a new project?</h2>
          <p>Everything saved in this browser is deleted: images, labels, model and training history. Export the model first to keep it; painted labels cannot be exported yet.</p>
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
