import { conciseMessage } from '../../core/text/conciseMessage';
import { useStudioActions, useStudioState } from '../StudioContext';

/** Errors, each naming the phase that failed, pinned to the top of the window (sticky) so they are seen wherever the user is. */
export function ErrorList() {
  const errors = useStudioState((s) => s.errors);
  const { dismissError } = useStudioActions();
  if (errors.length === 0) return null;
  return (
    <ul className="errors" aria-label="Errors">
      {errors.map((error, index) => (
        <li key={index} role="alert">
          <strong>{error.phase} failed:</strong> {conciseMessage(error.message, 600).text}
          <button type="button" onClick={() => dismissError(index)} aria-label={`Dismiss error: ${error.phase}`}>×</button>
        </li>
      ))}
    </ul>
  );
}
