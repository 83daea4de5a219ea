/**
 * Results from an earlier model are marked (issue 13 item 3): after a slice is predicted and
 * scored, training again leaves its overlay and scores on screen marked as from an earlier model,
 * until it is predicted again.
 */
import { expect, test } from './fixtures';
import { StudioPage } from './pages/StudioPage';

test.use({ viewport: { width: 1280, height: 800 } });

test('a prediction made before retraining is marked as from an earlier model until predicted again', async ({ page }, testInfo) => {
  const studio = new StudioPage(page);
  await studio.open('wasm');
  await studio.exampleTrainedAndPredicted();
  const predict = studio.panel('Predict');
  const staleNote = predict.getByRole('note', { name: 'Stale predictions' });
  await expect(predict.getByRole('table', { name: 'Metrics' })).toBeVisible();
  await expect(staleNote).toHaveCount(0);

  await studio.trainTiny(2); // the model changes
  await studio.openStep('Predict');
  await expect(staleNote).toContainText('1 slice shows a prediction from an earlier model');
  await expect(predict.getByRole('table', { name: 'Metrics' }).locator('tbody tr[data-stale="true"]')).toHaveCount(1);
  await expect(predict.getByRole('table', { name: 'Metrics' })).toContainText('(earlier model)');
  await studio.attachPanel(testInfo, 'Predict', '-stale');

  await studio.predictSlice();
  await expect(staleNote).toHaveCount(0);
  await expect(predict.getByRole('table', { name: 'Metrics' }).locator('tbody tr[data-stale="true"]')).toHaveCount(0);
});
