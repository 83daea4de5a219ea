/**
 * Predictions are restored after a reload (issue 13 item 10): a predicted and scored slice shows its
 * overlay and its metrics row again after the page reloads, current while the model is the one it
 * came from; a prediction from an earlier model comes back marked as such.
 */
import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures';
import { StudioPage } from './pages/StudioPage';

test.use({ viewport: { width: 1280, height: 800 } });

/** The first metrics row's numbers, once the scoring worker has filled them in. */
async function metricsRow(predict: Locator): Promise<number[]> {
  const table = predict.getByRole('table', { name: 'Metrics' });
  await expect(table).toHaveAttribute('data-scoring', 'false', { timeout: 60_000 });
  return (await table.locator('tbody tr').first().locator('td').allInnerTexts()).map(Number);
}

/** Blue-tinted canvas pixels with the labels hidden: the prediction overlay (as in journey.spec.ts). */
async function overlayPixels(studio: StudioPage): Promise<number> {
  await studio.openStep('Label');
  await studio.page.getByRole('checkbox', { name: 'Labels' }).uncheck();
  let pixels = 0;
  await expect.poll(async () => (pixels = await studio.bluishPixels())).toBeGreaterThan(10_000);
  await studio.page.getByRole('checkbox', { name: 'Labels' }).check();
  return pixels;
}

async function reloadWhenSaved(studio: StudioPage): Promise<void> {
  await expect(studio.page.getByRole('status', { name: 'Autosave' })).toHaveAttribute('data-persistence', 'saved', { timeout: 60_000 });
  await studio.page.reload();
  await studio.page.waitForFunction(() => (window as unknown as { __studio?: unknown }).__studio !== undefined);
  await expect(studio.page.getByRole('status', { name: 'Autosave' })).toHaveAttribute('data-persistence', 'saved', { timeout: 60_000 });
}

test('a prediction and its metrics row come back after a reload, and a stale one comes back marked', async ({ page }, testInfo) => {
  const studio = new StudioPage(page);
  await studio.open('wasm');
  await studio.exampleTrainedAndPredicted();
  const predict = studio.panel('Predict');
  const before = await metricsRow(predict);
  expect(before).toHaveLength(6);
  const overlayBefore = await overlayPixels(studio);
  const predictedId = (await studio.state()).prediction.predictedSliceIds[0];

  await reloadWhenSaved(studio);
  expect((await studio.state()).prediction.predictedSliceIds).toEqual([predictedId]);
  await studio.openStep('Predict');
  const after = await metricsRow(predict);
  // Stored at 16 bits (within 1/131070): at most the last shown digit may move.
  after.forEach((value, i) => expect(Math.abs(value - (before[i] as number)), `metric ${i}: ${value} vs ${before[i]}`).toBeLessThanOrEqual(0.0015));
  await expect(predict.getByRole('note', { name: 'Stale predictions' })).toHaveCount(0);
  await expect(predict.getByRole('button', { name: 'Accept prediction as labels' })).toBeEnabled();
  await expect(predict.getByRole('status', { name: 'Prediction status' })).toHaveText('done: 1 slice(s) predicted');
  const overlayAfter = await overlayPixels(studio);
  expect(Math.abs(overlayAfter - overlayBefore)).toBeLessThanOrEqual(overlayBefore * 0.01);
  await studio.attachPanel(testInfo, 'Predict', '-restored');

  await studio.trainTiny(2); // the model changes: the restored prediction is from an earlier one
  await studio.openStep('Predict');
  const staleNote = predict.getByRole('note', { name: 'Stale predictions' });
  await expect(staleNote).toContainText('1 slice shows a prediction from an earlier model');
  await reloadWhenSaved(studio);
  await studio.openStep('Predict');
  await expect(staleNote).toContainText('1 slice shows a prediction from an earlier model');
  await expect(predict.getByRole('table', { name: 'Metrics' }).locator('tbody tr[data-stale="true"]')).toHaveCount(1);
  await studio.attachPanel(testInfo, 'Predict', '-restored-stale');
});

test('the prediction threshold comes back after a reload', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.open('wasm');
  const predict = await studio.openStep('Predict');
  await predict.getByRole('slider', { name: 'Threshold' }).fill('0.35');
  await expect(predict.getByText('0.35')).toBeVisible();
  await expect(page.getByRole('status', { name: 'Autosave' })).toHaveAttribute('data-persistence', 'saving', { timeout: 10_000 }).catch(() => undefined);
  await reloadWhenSaved(studio);
  await studio.openStep('Predict');
  await expect(studio.panel('Predict').getByRole('slider', { name: 'Threshold' })).toHaveValue('0.35');
});
