/**
 * A browser without WebGPU (Chromium started without the WebGPU flags: no
 * adapter) still gets a working engine, and the page says why WebGPU was not used;
 * its WebGL is SwiftShader (software), so by default WebAssembly runs.
 * Runs in the "no-webgpu" project of playwright.config.ts.
 */
import { expect, test } from './fixtures';
import { EnginePage } from './pages/EnginePage';

test('falls back to WebGL and says why when WebGPU cannot start', async ({ page }) => {
  const engine = new EnginePage(page);
  await engine.open('webgpu,webgl');
  await expect(engine.backendBadge).toHaveAttribute('data-backend', 'webgl', { timeout: 60_000 });
  const report = await engine.backendReport();
  console.info(`[e2e] without WebGPU, asked for webgpu,webgl: ${report.reason}`);
  expect(report.reason).toMatch(/webgpu: (this browser does not offer WebGPU|the browser found no WebGPU adapter)/);
  await expect(engine.backendBadge).toContainText(report.reason);
});

test('by default, a software WebGL comes after WebAssembly, and the page says why', async ({ page }) => {
  const engine = new EnginePage(page);
  await engine.open();
  await expect(engine.backendBadge).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
  const report = await engine.backendReport();
  console.info(`[e2e] without WebGPU, default order: ${report.reason}`);
  expect(report.reason).toMatch(/webgpu: (this browser does not offer WebGPU|the browser found no WebGPU adapter)/);
  expect(report.reason).toMatch(/webgl: its renderer is software, not a GPU \(.*SwiftShader.*\)/);
});
