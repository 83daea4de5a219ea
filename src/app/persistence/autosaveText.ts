import type { ProjectSlice } from '../../store/slices/projectSlice';

/** "14:03:12" in local time, the same in every locale (tests and users read it alike). */
export function formatClockTime(iso: string): string {
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return '';
  return [time.getHours(), time.getMinutes(), time.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** The one line the project bar shows about autosave. */
export function autosaveText(project: Pick<ProjectSlice['project'], 'persistence' | 'lastSavedAt' | 'message'>): string {
  switch (project.persistence) {
    case 'restoring': return 'Restoring your last session…';
    case 'saving': return 'Saving…';
    case 'saved': return project.lastSavedAt ? `Saved ${formatClockTime(project.lastSavedAt)}` : 'Saved';
    case 'idle': return 'Autosave on: nothing to save yet';
    case 'unavailable': return project.message ?? 'Autosave unavailable';
    case 'failed': return project.message ?? 'Autosave failed';
    default: {
      const unknown: never = project.persistence;
      return String(unknown);
    }
  }
}
