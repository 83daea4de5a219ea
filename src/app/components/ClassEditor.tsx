import { useState } from 'react';
import { addedClassNote, MAX_CLASS_NAME_LENGTH, MAX_CLASSES } from '../classes/createClassActions';
import { classHexOf } from '../classes/classPaletteOf';
import { useStudioActions, useStudioState } from '../StudioContext';

/**
 * A new note is scrolled into the panel's view as it appears: it says what adding a class did to the
 * model, and at a laptop's height it falls below the panel's fold. A stable ref callback runs once per
 * mounted element (each note is keyed), not on every rename that re-renders it.
 */
function scrollIntoViewOnce(element: HTMLElement | null): void {
  element?.scrollIntoView?.({ block: 'nearest' });
}

/** The project's classes: a colour and a name each, and a button to add one (saved with the project). */
export function ClassEditor() {
  const classNames = useStudioState((s) => s.data.classNames);
  const colours = useStudioState((s) => s.data.classColours);
  const { addClass, recolourClass } = useStudioActions();
  // An added class's note is written from its current name, so a rename right after shows in it.
  const [note, setNote] = useState<{ addedClass: number } | { refusal: string } | null>(null);
  const noteText = note === null ? null : 'refusal' in note ? note.refusal : addedClassNote(note.addedClass, classNames[note.addedClass] ?? '');

  const onAdd = () => {
    const outcome = addClass();
    setNote(outcome.added ? (outcome.note ? { addedClass: outcome.classValue } : null) : { refusal: outcome.refusal });
  };

  return (
    <fieldset className="class-editor">
      <legend>Classes</legend>
      <ol className="class-editor-list">
        {classNames.map((name, k) => (
          <li key={k}>
            <input type="color" aria-label={`Colour of class ${k}`} value={classHexOf({ classNames, classColours: colours }, k)}
              onChange={(e) => recolourClass(k, e.target.value)} />
            <ClassNameField classValue={k} name={name} />
            <span className="class-editor-key">{k <= 9 ? `key ${k}` : ''}</span>
          </li>
        ))}
      </ol>
      <button type="button" className="secondary" onClick={onAdd} disabled={classNames.length >= MAX_CLASSES}>Add class</button>
      {note && noteText ? (
        <p key={'refusal' in note ? note.refusal : `added ${note.addedClass}`} ref={scrollIntoViewOnce} className={'refusal' in note ? 'class-editor-refused' : 'hint'} role={'refusal' in note ? 'alert' : 'status'}>
          {noteText}
        </p>
      ) : null}
    </fieldset>
  );
}

/**
 * The store holds the name as typed; only a blank field (refused: model files need a name) lives
 * here until the user types a name or leaves the field, which brings the old name back.
 */
function ClassNameField({ classValue, name }: { readonly classValue: number; readonly name: string }) {
  const { renameClass } = useStudioActions();
  const [blankDraft, setBlankDraft] = useState<string | null>(null);
  const errorId = `class-name-blank-${classValue}`;
  return (
    <>
      <input type="text" aria-label={`Name of class ${classValue}`} value={blankDraft ?? name} maxLength={MAX_CLASS_NAME_LENGTH} spellCheck={false}
        aria-invalid={blankDraft !== null} aria-describedby={blankDraft !== null ? errorId : undefined}
        onChange={(e) => setBlankDraft(renameClass(classValue, e.target.value) ? null : e.target.value)}
        onBlur={() => setBlankDraft(null)} />
      {blankDraft !== null ? <span id={errorId} className="class-editor-refused">A class needs a name.</span> : null}
    </>
  );
}
