/**
 * A lost GPU device (driver reset, GPU unplugged, the browser reclaiming it) is simulated by
 * destroying the engine's WebGPU device from inside its worker, once with a trained model at rest
 * and once mid-training. The studio tells the user, starts a new device, and loses nothing: the
 * labels are the same, the exported weights are byte for byte those from before the loss,
 * training continues from the kept step, and prediction works on the new device.
 */
import type { Download, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import { StudioPage } from './pages/StudioPage';

test.use({ viewport: { width: 1366, height: 900 } });

/** Destroys the WebGPU device of the worker that runs tfjs (tfjs keeps its engine on the global `_tfengine`). */
async function destroyEngineDevice(page: Page): Promise<void> {
  for (const worker of page.workers()) {
    const destroyed = await worker.evaluate(() => {
      const engine = (globalThis as unknown as { _tfengine?: { backendName: string; backendInstance: { device?: GPUDevice } } })._tfengine;
      if (engine?.backendName !== 'webgpu' || !engine.backendInstance.device) return false;
      engine.backendInstance.device.destroy();
      return true;
    }).catch(() => false);
    if (destroyed) return;
  }
  throw new Error('No worker runs tfjs on WebGPU');
}

/** An FNV-1a hash over every slice's class map: equal hashes, the same labels. */
function labelsHash(page: Page): Promise<number> {
  return page.evaluate(() => {
    const handle = (window as unknown as { __studio: { getState(): { data: { slices: { id: string }[] } }; slices: { get(id: string): { classes: Int32Array | null } } } }).__studio;
    let hash = 2166136261;
    for (const { id } of handle.getState().data.slices) {
      for (const k of handle.slices.get(id).classes ?? []) hash = Math.imul(hash ^ (k + 1), 16777619) >>> 0;
    }
    return hash;
  });
}

/** Exports the model as files from the Model panel; returns the weights' bytes. */
async function exportWeights(page: Page, studio: StudioPage): Promise<Buffer> {
  const downloads: { name: string; path: string | null }[] = [];
  const listener = async (download: Download) => {
    const entry = { name: download.suggestedFilename(), path: null as string | null };
    downloads.push(entry);
    entry.path = await download.path();
  };
  page.on('download', listener);
  await (await studio.openStep('Model and exports')).getByRole('button', { name: 'Export model (files)' }).click();
  await expect.poll(() => downloads.filter((d) => d.path).length).toBeGreaterThanOrEqual(2);
  page.off('download', listener);
  const weights = downloads.find((d) => d.name.endsWith('.bin'));
  expect(weights, `downloads: ${downloads.map((d) => d.name).join(', ')}`).toBeDefined();
  return readFileSync(weights!.path!);
}

test('a lost GPU device loses no label and no weight; the studio says so and carries on', async ({ page }, testInfo) => {
  test.setTimeout(400_000);
  const studio = new StudioPage(page);
  await studio.open('webgpu');
  const badge = page.getByRole('status', { name: 'Compute backend' });
  await expect(badge).toHaveAttribute('data-backend', 'webgpu', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Load example' }).click();
  await expect(page.getByRole('status', { name: 'Data summary' })).toContainText('4 slices, 3 labelled');
  const labels = await labelsHash(page);

  // Train, stop, export: the weights the user has at this point.
  const train = await studio.startTinyRun(200, 2);
  const steps = () => studio.stepsDone();
  await train.getByRole('button', { name: 'Stop' }).click();
  await expect(train.getByRole('status', { name: 'Training status' })).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  const stoppedAt = await steps();
  const before = await exportWeights(page, studio);

  // 1. The device goes while the trained model rests.
  await destroyEngineDevice(page);
  const alerts = page.getByRole('alert');
  await expect(alerts.filter({ hasText: 'reported the GPU device lost' })).toHaveCount(1, { timeout: 60_000 });
  const first = (await alerts.filter({ hasText: 'reported the GPU device lost' }).textContent()) ?? '';
  console.info(`[e2e] device lost after training stopped at step ${stoppedAt}: ${first}`);
  expect(first).toContain(`The model is kept (its weights from step ${stoppedAt})`);
  expect(first).toContain('Your images and labels are untouched');
  await expect(badge).toHaveAttribute('data-backend', 'webgpu');
  await studio.openStep('Train');
  await expect(train.getByRole('status', { name: 'Training status' })).toHaveAttribute('data-status', 'done');
  await studio.attachPanel(testInfo, 'Train', '-after-device-loss');
  const path = testInfo.outputPath('device-lost.png');
  await page.screenshot({ path });
  await testInfo.attach('studio after a lost device', { path, contentType: 'image/png' });

  const after = await exportWeights(page, studio);
  expect(after.byteLength).toBe(before.byteLength);
  expect(after.equals(before), 'the weights after the loss are those from before it, byte for byte').toBe(true);
  expect(await labelsHash(page)).toBe(labels);

  // 2. Training continues from the kept step on the new device; then the device goes mid-step.
  await page.getByRole('button', { name: /Dismiss error: GPU/ }).click();
  await studio.openStep('Train');
  await train.getByRole('button', { name: 'Start training' }).click();
  await expect.poll(async () => (await studio.state()).training.fromStep, { timeout: 60_000 }).toBe(stoppedAt);
  await expect.poll(steps, { timeout: 120_000 }).toBeGreaterThanOrEqual(2);
  await destroyEngineDevice(page);
  const second = alerts.filter({ hasText: 'reported the GPU device lost' });
  await expect(second).toHaveCount(1, { timeout: 60_000 });
  await expect.poll(() => alerts.allTextContents(), { message: 'one message, not a raw training error beside it', timeout: 5_000 }).toHaveLength(1);
  const text = (await second.textContent()) ?? '';
  console.info(`[e2e] device lost mid-training: ${text}`);
  const kept = Number(/the weights from step (\d+) are kept/.exec(text)?.[1]);
  expect(kept).toBeGreaterThanOrEqual(stoppedAt + 1);
  await expect(train.getByRole('status', { name: 'Training status' })).toHaveAttribute('data-status', 'done');
  expect(await labelsHash(page)).toBe(labels);

  // 3. The rebuilt model predicts on the new device.
  await studio.predictSlice();
  await expect(badge).toHaveAttribute('data-backend', 'webgpu');
  expect(await labelsHash(page)).toBe(labels);
});
