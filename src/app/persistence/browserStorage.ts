// How this tab claims the saved project and asks the browser to keep it (connectPersistence's defaults).

const PROJECT_LOCK = 'unet-studio-project';

/**
 * How long a new tab waits for the project's lock before saying another tab has it: a tab just closed
 * keeps it until its page is torn down, which takes seconds after a big slice (measured: a 20000 px
 * slice's tab, closed, still held it when a tab opened right after asked).
 */
const CLAIM_WAIT_MS = 15_000;

/** One tab at a time owns the saved project, so two tabs cannot overwrite each other's work. */
export function claimProjectWithWebLock(): Promise<boolean | null> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks) return Promise.resolve(null);
  return new Promise((resolve) => {
    locks.request(PROJECT_LOCK, { signal: AbortSignal.timeout(CLAIM_WAIT_MS) }, () => {
      resolve(true);
      // Held until the tab closes or reloads (the browser releases it then).
      return new Promise<void>(() => undefined);
    }).catch((error: unknown) => resolve(error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError') ? false : null));
  });
}

/** Best-effort temporary storage can be evicted when the disk fills up: ask once to keep it. */
export async function askBrowserToPersist(): Promise<boolean | null> {
  const storage = typeof navigator !== 'undefined' ? navigator.storage : undefined;
  if (!storage?.persist || !storage.persisted) return null;
  return (await storage.persisted()) || storage.persist();
}
