/**
 * Nothing leaves, even from a worker: in the engine worker and the scoring worker, every way to
 * reach another origin (fetch, XMLHttpRequest, WebSocket, EventSource, a dynamic import) fails, and a
 * server on another origin hears nothing; a fetch from the page's own origin still works. Two
 * lines hold: the page's Content-Security-Policy (the workers start from a blob: bootstrap, which
 * inherits it: the dynamic import is stopped by it alone) and the guard each worker installs first.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from './fixtures';
import { StudioPage } from './pages/StudioPage';

// This spec tries foreign requests on purpose: those the page's CSP stopped before they left are not leaks.
test.use({ forgiveCspBlockedRequests: true });

test('a foreign request fails from the engine worker and from the scoring worker, and reaches nobody', async ({ page }) => {
  test.setTimeout(300_000);
  const heard: string[] = [];
  const foreign = http.createServer((request, response) => {
    heard.push(request.url ?? '');
    response.writeHead(200, { 'access-control-allow-origin': '*', 'content-type': 'text/javascript' }).end('export {};');
  });
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  const foreignOrigin = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
  try {
    const studio = new StudioPage(page);
    await studio.open('wasm');
    await page.getByRole('button', { name: 'Load example' }).click();
    // Train a few steps and predict with scores: that starts the scoring worker too.
    await studio.trainTiny(2);
    await studio.predictSlice();
    await expect(studio.panel('Predict').getByRole('table', { name: 'Metrics' })).toHaveAttribute('data-scoring', 'false', { timeout: 120_000 });

    // The engine's own thread workers (wasm threads, unnamed, blocked waiting for work: they answer nothing) run tfjs's code only; ours are named.
    const nameOf = (worker: ReturnType<typeof page.workers>[number]) =>
      Promise.race([worker.evaluate(() => self.name), new Promise<string>((resolve) => setTimeout(() => resolve(''), 3000))]);
    const named = await Promise.all(page.workers().map(async (worker) => ({ worker, name: await nameOf(worker) })));
    const workers = named.filter((w) => w.name !== '').map((w) => w.worker);
    expect(named.map((w) => w.name).filter((n) => n !== '').sort()).toEqual(['engine', 'scoring']);
    for (const worker of workers) {
      const outcome = await worker.evaluate(async (target) => {
        const attempt = async (what: string, go: () => Promise<unknown> | unknown) => {
          try {
            await go();
            return `${what}: reached`;
          } catch (error) {
            return `${what}: failed (${(error as Error).name})`;
          }
        };
        const xhr = () => new Promise((resolve, reject) => {
          const request = new XMLHttpRequest();
          request.onload = resolve;
          request.onerror = () => reject(new Error('network error'));
          request.open('GET', `${target}/xhr`);
          request.send();
        });
        const ownOrigin = new URL(self.location.href.replace(/^blob:/, '')).origin;
        return [
          await attempt('fetch', () => fetch(`${target}/fetch`)),
          await attempt('xhr', xhr),
          await attempt('websocket', () => new WebSocket(`${target.replace('http', 'ws')}/socket`)),
          await attempt('eventsource', () => new EventSource(`${target}/events`)),
          // Not guarded in JavaScript: only the Content-Security-Policy stops this one.
          await attempt('import', () => import(/* @vite-ignore */ `${target}/module.js`)),
          await attempt('own origin', async () => { if (!(await fetch(`${ownOrigin}/studio/`)).ok) throw new Error('not ok'); }),
        ];
      }, foreignOrigin);
      expect(outcome, `in the ${await worker.evaluate(() => self.name)} worker`).toEqual([
        'fetch: failed (BlockedRequestError)',
        'xhr: failed (BlockedRequestError)',
        'websocket: failed (BlockedRequestError)',
        'eventsource: failed (BlockedRequestError)',
        'import: failed (TypeError)',
        'own origin: reached',
      ]);
    }
    expect(heard, 'requests the foreign server received').toEqual([]);
  } finally {
    foreign.close();
  }
});
