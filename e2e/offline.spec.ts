/**
 * On a static host that sends no headers (the e2e server, like GitHub Pages): the studio's service
 * worker makes the page cross-origin isolated after one reload on the first visit (the wasm engine
 * then runs threads), and caches the whole app: with the network off, a reload still opens the
 * studio, which trains and predicts.
 */
import { expect, test } from './fixtures';
import { StudioPage } from './pages/StudioPage';

test.use({ viewport: { width: 1440, height: 900 } });

test('the service worker isolates the page (threads) and keeps the app for offline use: it opens, trains and predicts offline', async ({ page, context }) => {
  test.setTimeout(300_000);
  const studio = new StudioPage(page);
  await studio.open('wasm');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  const threads = Math.min(8, await page.evaluate(() => navigator.hardwareConcurrency));
  const badge = page.getByRole('status', { name: 'Compute backend' });
  await expect(badge).toContainText(`Compute: WebAssembly (CPU), ${threads} thread${threads === 1 ? '' : 's'}`, { timeout: 60_000 });

  // The network goes away; the studio comes back from the service worker's cache.
  await context.setOffline(true);
  await page.reload();
  await page.waitForFunction(() => (window as unknown as { __studio?: unknown }).__studio !== undefined);
  await expect(badge).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Load example' }).click();
  await studio.trainTiny(2);
  await studio.predictSlice();
  expect((await studio.state()).prediction.predictedSliceIds).toHaveLength(1);
  await context.setOffline(false);
});
