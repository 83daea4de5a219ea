/**
 * A browser without WebGPU (Chromium started without the WebGPU flags: no
 * adapter) still gets a working engine, and the page says why WebGPU was not used.
 * Runs in the "no-webgpu" project of playwright.config.ts.
 */
import { expect, test } from './fixtures';
import { EnginePage } from './pages/EnginePage';

test('falls back to WebGL and says why when WebGPU cannot start', async ({ page }) => {
  const engine = new EnginePage(page);
  await engine.open();
  await expect(engine.backendBadge).toHaveAttribute('data-backend', /webgl|cpu/, { timeout: 60_000 });
  const report = await engine.backendReport();
  console.info(`[e2e] without WebGPU: ${report.reason}`);
  expect(report.reason).toMatch(/webgpu: (this browser does not offer WebGPU|the browser found no WebGPU adapter)/);
  await expect(engine.backendBadge).toContainText(report.reason);
});
