import type { BrowserContext } from '@playwright/test';
import { test as base, expect } from '@playwright/test';

/** Adds every request of `context` (its pages and their workers) that leaves `origin` to `foreign`. */
export function recordForeignRequests(context: BrowserContext, origin: string, foreign: string[], forgiveCspBlocked = false): void {
  context.on('request', (request) => {
    const url = request.url();
    // about:blank and chrome://crash are where a test sends a tab, not requests of the page.
    if (url.startsWith('data:') || url.startsWith('blob:') || url === 'about:blank' || url.startsWith('chrome:')) return;
    if (new URL(url).origin !== origin) foreign.push(url);
  });
  // Blocked by the page's Content-Security-Policy before it left (Chromium reports 'csp'): it went out to nobody.
  // Only a spec that tries foreign requests on purpose forgives those; anywhere else the attempt is a defect.
  if (forgiveCspBlocked) context.on('requestfailed', (request) => {
    if (request.failure()?.errorText !== 'csp') return;
    const index = foreign.indexOf(request.url());
    if (index >= 0) foreign.splice(index, 1);
  });
}

/**
 * Every spec uses this `test`: it records every request the page and its workers make and fails
 * the test if any goes anywhere but the page's own origin ("nothing leaves the machine").
 * `freshContext` gives a new browser context (its own IndexedDB) recorded the same way.
 */
export const test = base.extend<{ foreignRequests: string[]; freshContext: () => Promise<BrowserContext>; forgiveCspBlockedRequests: boolean }>({
  forgiveCspBlockedRequests: [false, { option: true }],
  foreignRequests: [
    async ({ context, baseURL, forgiveCspBlockedRequests }, use) => {
      const foreign: string[] = [];
      recordForeignRequests(context, new URL(baseURL as string).origin, foreign, forgiveCspBlockedRequests);
      await use(foreign);
      expect(foreign, 'requests outside the page origin').toEqual([]);
    },
    { auto: true },
  ],
  freshContext: async ({ browser, baseURL, viewport, foreignRequests }, use) => {
    const made: BrowserContext[] = [];
    await use(async () => {
      const context = await browser.newContext({ baseURL: baseURL as string, viewport });
      recordForeignRequests(context, new URL(baseURL as string).origin, foreignRequests);
      made.push(context);
      return context;
    });
    await Promise.all(made.map((context) => context.close()));
  },
});

export { expect };
