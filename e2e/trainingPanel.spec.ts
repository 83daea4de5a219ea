/**
 * The Train step's rough edges (issue 13 item 9): on a CPU engine the preset starts as tiny; the user
 * chooses the validation slices and the split names them (and the metrics table marks them); a stopped
 * run says "stopped"; a continued model's curve goes on from its earlier steps. During a run the settings
 * fold into one line, so that Stop, the progress and the curves are in view on a 1280x800 screen.
 */
import { expect, test } from './fixtures';
import { formatLearningRate, scheduledLearningRate } from '../src/core/train/learningRateSchedule';
import { StudioPage } from './pages/StudioPage';

test.use({ viewport: { width: 1280, height: 800 } });

test('tiny on the CPU, chosen validation slices named and marked, "stopped", and a continued curve', async ({ page }, testInfo) => {
  const studio = new StudioPage(page);
  await studio.open('wasm');
  await page.getByRole('button', { name: 'Load example' }).click();
  await expect(page.getByRole('status', { name: 'Data summary' })).toContainText('4 slices, 3 labelled');
  const train = await studio.openStep('Train');
  await expect(train.getByRole('combobox', { name: 'Preset' })).toHaveValue('tiny');

  // Choose the first slice for validation; the split names it.
  await train.getByText(/Validation slices:/).click();
  await train.getByRole('list', { name: 'Validation slices' }).getByRole('checkbox', { name: 'example slice 1' }).check();
  await expect(train.getByText('Validation slices: 1 chosen')).toBeVisible();
  await train.getByRole('spinbutton', { name: 'Steps' }).fill('3');
  // A cosine decay over the 3 steps: the status ends on the third step's rate, 0.00129, not the 0.005 chosen.
  await expect(train.getByRole('combobox', { name: 'Schedule' })).toHaveValue('constant');
  await train.getByRole('combobox', { name: 'Schedule' }).selectOption({ label: 'Cosine decay' });
  await train.getByRole('button', { name: 'Start training' }).click();
  await expect.poll(async () => (await studio.state()).training.status, { timeout: 120_000 }).toBe('done');
  await expect(train.getByText('Split: validation on 1 of 3 labelled slices, as chosen: example slice 1')).toBeVisible();
  await expect(train.getByRole('status', { name: 'Training status' })).toContainText('· done');
  await expect(train.getByRole('status', { name: 'Training status' })).toContainText('· learning rate 0.00129 ·');

  // The validation slice is marked in the metrics table.
  await studio.predictSlice();
  const table = studio.panel('Predict').getByRole('table', { name: 'Metrics' });
  await expect(table.locator('tbody th[data-validation="true"]')).toContainText('example slice 1 (validation)');

  // Continue the model and stop it: the curve keeps the first run's 3 steps before the new ones; the status says stopped.
  await studio.openStep('Train');
  await train.getByRole('spinbutton', { name: 'Steps' }).fill('200');
  await expect(train.getByRole('combobox', { name: 'Schedule' })).toHaveValue('cosine');
  await train.getByRole('button', { name: 'Start training' }).click();
  await expect.poll(() => studio.stepsDone(), { timeout: 120_000 }).toBeGreaterThanOrEqual(2);
  // The settings are one line now: Stop, the progress bar and the chart's plot are in the window without scrolling.
  const folded = train.getByText(/^Settings, locked during the run:/);
  await expect(folded).toContainText('Tiny (any machine), 200 steps, learning rate 0.005 (cosine decay), tile 64 px, batch 2, weights averaged');
  await expect(train.getByRole('combobox', { name: 'Preset' })).toBeHidden();
  await expect(train.getByRole('button', { name: 'Stop' })).toBeInViewport({ ratio: 1 });
  await expect(train.getByRole('progressbar', { name: 'Training progress' })).toBeInViewport({ ratio: 1 });
  await expect(train.getByRole('img', { name: 'Training loss chart' })).toBeInViewport({ ratio: 0.5 });
  if (process.env.DOC_SCREENSHOTS === '1') await page.screenshot({ path: 'docs/screenshots/train-running-1280x800.png' });
  // Opened, they are there to read, not to change.
  await folded.click();
  await expect(train.getByRole('combobox', { name: 'Preset' })).toBeDisabled();
  await train.getByRole('button', { name: 'Stop' }).click();
  await expect(train.getByRole('status', { name: 'Training status' })).toContainText('· stopped', { timeout: 60_000 });
  await expect(train.getByRole('combobox', { name: 'Preset' })).toBeEnabled(); // unfolded again, and free to change
  await expect(folded).toBeHidden();
  const state = await studio.state();
  expect(state.training.fromStep).toBe(3);
  // The status names the last step's rate, the cosine's at that step (not the 0.005 the run started at).
  const lastRate = scheduledLearningRate(0.005, 'cosine', state.training.step - 1, 200);
  expect(state.training.learningRate).toBeCloseTo(lastRate, 9);
  await expect(train.getByRole('status', { name: 'Training status' })).toContainText(`learning rate ${formatLearningRate(lastRate)}`);
  console.info(`[e2e] continued: ${state.training.losses.length} steps this run; model: ${state.model.description}`);
  expect(state.model.description).toContain(`${3 + state.training.losses.length} steps`);
  const earlier = await page.evaluate(() => (window as unknown as { __studio: { getState(): { training: { earlier: { losses: { step: number }[] } } } } }).__studio.getState().training.earlier.losses.map((p) => p.step));
  expect(earlier).toEqual([1, 2, 3]);
  await studio.attachPanel(testInfo, 'Train', '-continued');
});
