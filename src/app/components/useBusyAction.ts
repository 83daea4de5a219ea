import { useState } from 'react';

/**
 * What a panel is doing, in words, while one of its actions runs: `run(doing, action)` shows
 * `doing` until the action settles. Failures land in the store's errors (the actions never throw);
 * this only shows what is under way.
 */
export function useBusyAction(): { busy: string | null; run: (doing: string, action: () => Promise<void>) => Promise<void> } {
  const [busy, setBusy] = useState<string | null>(null);
  const run = async (doing: string, action: () => Promise<void>) => {
    setBusy(doing);
    try {
      await action();
    } finally {
      setBusy(null);
    }
  };
  return { busy, run };
}
