import { test as base, expect } from '@playwright/test';

/**
 * Every spec uses this `test`: it records every request the page and its workers make and fails
 * the test if any goes anywhere but the page's own origin ("nothing leaves the machine").
 */
export const test = base.extend<{ foreignRequests: string[] }>({
  foreignRequests: [
    async ({ context, baseURL }, use) => {
      const origin = new URL(baseURL as string).origin;
      const foreign: string[] = [];
      context.on('request', (request) => {
        const url = request.url();
        if (url.startsWith('data:') || url.startsWith('blob:')) return;
        if (new URL(url).origin !== origin) foreign.push(url);
      });
      await use(foreign);
      expect(foreign, 'requests outside the page origin').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
