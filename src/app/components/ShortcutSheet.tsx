import { useEffect, useRef } from 'react';
import { SHORTCUTS } from '../paint/shortcuts';
import { useStudio, useStudioActions, useStudioState } from '../StudioContext';

const isTyping = (target: EventTarget | null) => target instanceof HTMLElement && (['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName) || target.isContentEditable);

/**
 * Every keyboard shortcut on one sheet: "?" opens it anywhere (except while typing), Escape or the
 * Close button closes it and gives focus back to where it was.
 */
export function ShortcutSheet() {
  const open = useStudioState((s) => s.view.shortcutSheetOpen);
  const studio = useStudio();
  const { setView } = useStudioActions();
  const dialog = useRef<HTMLDialogElement>(null);
  const closed = () => setView({ shortcutSheetOpen: false });

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '?' || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      e.preventDefault();
      setView({ shortcutSheetOpen: !studio.store.getState().view.shortcutSheetOpen });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [studio, setView]);

  // A modal <dialog>: the browser traps focus, closes on Escape (the cancel event) and restores focus.
  // Its close event comes a task later, so Escape and Close say "closed" at once: a slice key pressed
  // right after Escape would otherwise still find the sheet open and be dropped.
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);

  return (
    <dialog ref={dialog} className="shortcut-sheet" aria-labelledby="shortcut-sheet-title" onCancel={closed} onClose={closed}>
      <h2 id="shortcut-sheet-title">Keyboard shortcuts</h2>
      <dl aria-label="Keyboard shortcuts">
        {SHORTCUTS.map((s) => (
          <div key={s.keys}><dt><kbd>{s.keys}</kbd></dt><dd>{s.what}</dd></div>
        ))}
      </dl>
      <p className="hint">Keys act on the canvas unless a text or number field has the focus.</p>
      <form method="dialog"><button type="submit" autoFocus onClick={closed}>Close</button></form>
    </dialog>
  );
}
