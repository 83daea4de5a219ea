/**
 * The engine in a real browser: tfjs starts WebGPU inside the dedicated engine
 * worker (SwiftShader here), a forward pass equals the cpu backend's, and a tiny
 * U-Net trains with a falling loss. The page says which backend it got.
 */
import { expect, test } from './fixtures';
import { EnginePage } from './pages/EnginePage';

test('on a software GPU the studio picks WebAssembly by default and says why', async ({ page }) => {
  const engine = new EnginePage(page);
  await engine.open();
  await expect(engine.backendBadge).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
  const report = await engine.backendReport();
  console.info(`[e2e] default order here: ${report.reason}`);
  // Chromium marks SwiftShader as its fallback adapter too: "(google swiftshader (fallback adapter))".
  expect(report.reason).toMatch(/webgpu: its renderer is software, not a GPU \(google swiftshader \(fallback adapter\)\), slower than WebAssembly here/);
  expect(report.reason).toMatch(/webgl: its renderer is software, not a GPU \(.*SwiftShader.*\)/);
  await expect(engine.backendBadge).toContainText(report.reason);
  await expect(engine.backendBadge.getByRole('link', { name: 'WebAssembly backend' })).toHaveCount(0);
});

test('WebGPU in the engine worker: backend shown, forward pass equals cpu, loss falls', async ({ page }, testInfo) => {
  const engine = new EnginePage(page);
  await engine.open('webgpu');

  await expect(engine.backendBadge).toHaveAttribute('data-backend', 'webgpu', { timeout: 60_000 });
  await expect(engine.backendBadge).toContainText('Compute: WebGPU');
  // Asked for by name, WebGPU runs on SwiftShader; the badge says it is software and offers the faster WebAssembly backend.
  await expect(engine.backendBadge.getByRole('link', { name: 'WebAssembly backend' })).toHaveAttribute('href', '?backend=wasm');
  const report = await engine.backendReport();
  expect(report.backend).toBe('webgpu');
  console.info(`[e2e] backend ${report.backend}; adapter ${report.adapter ?? 'unknown'}; ${report.reason}`);

  // The page itself never touched tfjs: the backend lives in the worker.
  expect(await page.evaluate(() => 'tf' in window)).toBe(false);

  await engine.runCheck();
  await expect(engine.checkStatus).toHaveAttribute('data-status', /passed|failed/, { timeout: 240_000 });
  const check = await engine.selfTest();
  console.info(`[e2e] parity ${check.parity?.backend} vs cpu: ${check.parity?.relativeError.toExponential(2)}; ` +
    `losses ${check.losses.map((l) => l.toFixed(4)).join(' ')}; ${(check.stepMs ?? 0).toFixed(0)} ms/step; leaked ${check.numTensorsLeaked}`);
  await testInfo.attach('engine-check', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });

  expect(check.parity?.backend).toBe('webgpu');
  expect(check.parity!.relativeError).toBeLessThan(1e-4);
  expect(check.losses).toHaveLength(12);
  const [first, ...rest] = check.losses;
  const lastThree = rest.slice(-3).reduce((a, b) => a + b, 0) / 3;
  expect(lastThree).toBeLessThan(first! * 0.8);
  expect(check.numTensorsLeaked).toBe(0);
  await expect(engine.checkStatus).toHaveAttribute('data-status', 'passed');
  await expect(page.getByRole('img', { name: 'Engine check training loss per step' })).toBeVisible();
});

test('WebAssembly in the engine worker trains with the project\'s Conv2DBackpropFilter kernel', async ({ page }) => {
  const engine = new EnginePage(page);
  await engine.open('wasm');
  await expect(engine.backendBadge).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
  await engine.runCheck();
  await expect(engine.checkStatus).toHaveAttribute('data-status', /passed|failed/, { timeout: 240_000 });
  const check = await engine.selfTest();
  console.info(`[e2e] wasm: parity ${check.parity?.relativeError.toExponential(2)}; losses ${check.losses[0]?.toFixed(4)} -> ${check.losses.at(-1)?.toFixed(4)}; ${(check.stepMs ?? 0).toFixed(0)} ms/step`);
  expect(check.parity?.backend).toBe('wasm');
  await expect(engine.checkStatus).toHaveAttribute('data-status', 'passed');
});
