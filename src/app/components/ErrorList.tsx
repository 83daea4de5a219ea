import { useStudioActions, useStudioState } from '../StudioContext';

/** Engine errors, each naming the phase that failed, where the user looks: the top of the page. */
export function ErrorList() {
  const errors = useStudioState((s) => s.errors);
  const { dismissError } = useStudioActions();
  if (errors.length === 0) return null;
  return (
    <ul className="errors" aria-label="Errors">
      {errors.map((error, index) => (
        <li key={index} role="alert">
          <strong>{error.phase} failed:</strong> {error.message}
          <button type="button" onClick={() => dismissError(index)} aria-label={`Dismiss error: ${error.phase}`}>×</button>
        </li>
      ))}
    </ul>
  );
}
