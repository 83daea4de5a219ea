/**
 * Stop prediction (issue 11, item 3: a 20000 px slice is 729 tiles, half an hour on two cores): the
 * Predict panel offers Stop while a prediction runs; the engine ends after the tile in flight, the
 * slices predicted before keep their results, the panel says where it stopped, and predicting works
 * again afterwards.
 */
import { expect, test } from './fixtures';
import { StudioPage } from './pages/StudioPage';

test.use({ viewport: { width: 1280, height: 800 } });

test('a prediction of the whole stack stops when asked, keeps what it predicted and says where it stopped', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  const studio = new StudioPage(page);
  await studio.open('wasm');
  await page.getByRole('button', { name: 'Load example' }).click();
  const slicesTotal = (await studio.state()).data.slices.length;
  expect(slicesTotal).toBeGreaterThan(2);

  const train = await studio.openStep('Train');
  await train.getByRole('combobox', { name: 'Start from' }).selectOption({ label: 'starter: EM membranes (ISBI 2012)' });
  await expect.poll(async () => (await studio.state()).model.available, { timeout: 60_000 }).toBe(true);

  const predict = await studio.openStep('Predict');
  const status = predict.getByRole('status', { name: 'Prediction status' });
  await expect(predict.getByRole('button', { name: 'Stop prediction' })).toHaveCount(0); // only while one runs
  await predict.getByRole('button', { name: 'Predict all slices' }).click();
  await expect(status).toContainText(/slice 2 of/, { timeout: 120_000 });
  await studio.attachPanel(testInfo, 'Predict', '-running');
  await predict.getByRole('button', { name: 'Stop prediction' }).click();

  await expect(status).toHaveAttribute('data-status', 'stopped', { timeout: 60_000 });
  const predicted = (await studio.state()).prediction.predictedSliceIds.length;
  expect(predicted).toBeGreaterThanOrEqual(1);
  expect(predicted).toBeLessThan(slicesTotal);
  await expect(status).toContainText(new RegExp(`stopped: ${predicted} of ${slicesTotal} slice\\(s\\) predicted`));
  await expect(predict.getByRole('button', { name: 'Stop prediction' })).toHaveCount(0);
  await studio.attachPanel(testInfo, 'Predict', '-stopped');

  // Predicting again runs to the end.
  await studio.predictSlice();
  await expect(status).toHaveAttribute('data-status', 'done');
});
