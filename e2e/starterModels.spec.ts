/**
 * Start from a starter model (issue 14 part 3): a DSB 2018 fluorescence image the nuclei starter never
 * saw (held out in its card) is predicted with the starter before any training, scores well against its
 * labels, and a short training run fine-tunes the starter (it continues from its steps, not fresh) at the
 * fine-tuning learning rate.
 */
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from './fixtures';
import { StudioPage } from './pages/StudioPage';

const DSB = resolve(import.meta.dirname, '../../shared/data/nuclei/dsb2018-stage1-subset');
const SCORES = resolve(import.meta.dirname, '../public/starters/nuclei/scores.json');
/** Held out by the starter (public/starters/nuclei/scores.json), 256x256, 32 nuclei. */
const HELD_OUT_ID = '0ddd8deaf1696db68b00c600601c6a74a0502caaf274222c8367bdc31458ae7e';

test.use({ viewport: { width: 1280, height: 800 } });

test('the nuclei starter predicts a held-out DSB image before any training, and training fine-tunes it', async ({ page }, testInfo) => {
  test.setTimeout(400_000);
  test.skip(!existsSync(DSB) && process.env.UNET_STUDIO_REQUIRE_PEERS !== '1', `../shared/data/nuclei is absent (${DSB})`);
  expect((JSON.parse(readFileSync(SCORES, 'utf8')) as { ids: string[] }).ids, 'the image is one the starter never trained on').toContain(HELD_OUT_ID);
  const studio = new StudioPage(page);
  await studio.open('wasm');
  // Dropped files carry their names only (no folders): the labels go as <id>_mask.png.
  const labels = testInfo.outputPath(`${HELD_OUT_ID}_mask.png`);
  copyFileSync(`${DSB}/labels/${HELD_OUT_ID}.png`, labels);
  await studio.dropFiles([`${DSB}/images/${HELD_OUT_ID}.png`, labels]);
  await expect(page.getByRole('status', { name: 'Data summary' })).toContainText('1 slice, 1 labelled');

  const train = await studio.openStep('Train');
  await train.getByRole('combobox', { name: 'Start from' }).selectOption({ label: 'starter: fluorescent nuclei (DSB 2018)' });
  await expect.poll(async () => (await studio.state()).model.description ?? '', { timeout: 60_000 }).toContain('fluorescent nuclei (DSB 2018) starter');
  await expect(train.getByRole('combobox', { name: 'Preset' })).toHaveValue('fast'); // the starter's network: training continues it
  await expect(train.getByRole('spinbutton', { name: 'Learning rate' })).toHaveValue('0.0001'); // the fine-tuning rate (STARTER_FINE_TUNE_LEARNING_RATE)

  // Predict before any training: the starter alone finds the nuclei.
  await studio.predictSlice();
  await expect.poll(async () => (await studio.state()).metrics.rows[0]?.iou ?? null, { timeout: 60_000 }).not.toBeNull();
  const iou = (await studio.state()).metrics.rows[0]!.iou!;
  console.info(`[e2e] nuclei starter on held-out ${HELD_OUT_ID.slice(0, 8)}: foreground IoU ${iou.toFixed(3)} before any training`);
  expect(iou).toBeGreaterThan(0.6);
  await studio.attachPanel(testInfo, 'Predict', '-starter');

  // Fine-tune: two steps continue from the starter's steps (not fresh weights, no notice saying so).
  const starterSteps = Number(/(\d+) steps/.exec((await studio.state()).model.description ?? '')?.[1]);
  expect(starterSteps).toBeGreaterThan(0);
  await studio.openStep('Train');
  await train.getByRole('spinbutton', { name: 'Steps' }).fill('2');
  await train.getByRole('button', { name: 'Start training' }).click();
  await expect.poll(async () => (await studio.state()).training.status, { timeout: 300_000 }).toBe('done');
  const after = await studio.state();
  expect(after.training.fromStep).toBe(starterSteps);
  expect(after.training.notices).toEqual([]);
  expect(after.model.description).toContain(`${starterSteps + 2} steps`);
});
