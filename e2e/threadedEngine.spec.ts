/**
 * Every core: served with the two cross-origin isolation headers (COOP same-origin, COEP
 * require-corp), the page's wasm engine runs threads (tfjs's threaded SIMD build; its thread
 * workers load a self-contained factory, see vite.config.ts), says how many in the header, and
 * trains and predicts. Without the headers it runs one thread and says why.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { expect, recordForeignRequests, test } from './fixtures';
import { StudioPage } from './pages/StudioPage';

const ISOLATED_PORT = 4179;
let server: ChildProcess | null = null;

test.beforeAll(async () => {
  // The build the webServer made, served again with the isolation headers.
  server = spawn(process.execPath, [resolve(import.meta.dirname, '../scripts/serveStatic.mjs'), '--root', 'dist', '--base', '/studio/', '--port', String(ISOLATED_PORT), '--isolate'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(server.stdout!, 'data'); // "Serving ..."
});

test.afterAll(() => {
  server?.kill();
});

test('cross-origin isolated, the wasm engine trains and predicts on every core and says so', async ({ browser }) => {
  test.setTimeout(300_000);
  const origin = `http://127.0.0.1:${ISOLATED_PORT}`;
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const foreign: string[] = [];
  recordForeignRequests(context, origin, foreign);
  const page = await context.newPage();
  await page.goto(`${origin}/studio/?test-hooks&backend=wasm`);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const threads = Math.min(8, cores);
  const badge = page.getByRole('status', { name: 'Compute backend' });
  await expect(badge).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
  await expect(badge).toContainText(`Compute: WebAssembly (CPU), ${threads} thread${threads === 1 ? '' : 's'}`);
  await expect(badge).toContainText(`It runs on ${threads} thread`);

  await page.getByRole('button', { name: 'Load example' }).click();
  const studio = new StudioPage(page);
  const train = await studio.openStep('Train');
  await train.getByRole('combobox', { name: 'Preset' }).selectOption('tiny');
  await train.getByRole('spinbutton', { name: 'Steps' }).fill('3');
  await train.getByRole('button', { name: 'Start training' }).click();
  await expect.poll(async () => page.evaluate(() => (window as unknown as { __studio: { getState(): { training: { status: string; losses: unknown[] } } } }).__studio.getState().training), { timeout: 120_000 })
    .toMatchObject({ status: 'done', losses: { length: 3 } });
  const predict = await studio.openStep('Predict');
  await predict.getByRole('button', { name: 'Predict this slice' }).click();
  await expect(predict.getByRole('status', { name: 'Prediction status' })).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  expect(await page.evaluate(() => (window as unknown as { __studio: { getState(): { errors: unknown[] } } }).__studio.getState().errors)).toEqual([]);
  await context.close();
  expect(foreign).toEqual([]);
});

test('without the headers (and without the service worker that adds them) the engine runs one thread, and the header says why', async ({ page }) => {
  await page.goto('./?test-hooks&backend=wasm&no-service-worker');
  const badge = page.getByRole('status', { name: 'Compute backend' });
  await expect(badge).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
  await expect(badge).toContainText('Compute: WebAssembly (CPU), 1 thread');
  await expect(badge).toContainText('It runs on 1 thread: this page is not cross-origin isolated, and WebAssembly threads need that.');
});
