/**
 * The whole journey of PRODUCT.md in one go, on real data (the ISBI 2012 stack from ../shared),
 * driven as a user drives it: drop the stack and its labels, paint, look at the weight map, train a
 * small preset, predict, accept and correct, export the model, import it back, reload and find
 * the work still there. Every panel is photographed; the fixture asserts that no request leaves
 * the page's origin, and the build is served by a plain static server under a sub-path.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from './fixtures';
import { StudioPage } from './pages/StudioPage';

const ISBI = resolve(import.meta.dirname, '../../shared/data/isbi2012/tif');
const VOLUME = `${ISBI}/train-volume.tif`;
const LABELS = `${ISBI}/train-labels.tif`;
const TRAIN_STEPS = 6;

test.use({ viewport: { width: 1440, height: 1000 } });

test('the whole journey on the ISBI stack: drop, paint, preview, train, predict, correct, export, import, reload', async ({ page }, testInfo) => {
  // A software GPU (SwiftShader) runs the tiny preset at well under 1 GFLOP/s: predicting one 512 px
  // slice takes minutes there (seconds on a real GPU), so this journey gets a long budget.
  test.setTimeout(1_500_000);
  // In CI (UNET_STUDIO_REQUIRE_PEERS=1) a missing stack fails the test instead of skipping it.
  test.skip(!existsSync(VOLUME) && process.env.UNET_STUDIO_REQUIRE_PEERS !== '1', `../shared/data/isbi2012 is absent (${VOLUME}): the journey needs the real ISBI stack`);
  const studio = new StudioPage(page);
  await studio.open();
  await expect(page.getByRole('status', { name: 'Compute backend' })).toHaveAttribute('data-backend', 'webgpu', { timeout: 60_000 });

  // 1. Drop the stack and its labels: 20 slices of 512x512, every one labelled.
  await studio.dropFiles([VOLUME, LABELS]);
  await expect(page.getByRole('status', { name: 'Import summary' })).toContainText('20', { timeout: 60_000 });
  await expect(page.getByRole('status', { name: 'Data summary' })).toContainText('20 slices, 20 labelled');
  const first = (await studio.state()).data.slices[0]!;
  expect(first.name).toContain('train-volume');
  await studio.attachPanel(testInfo, 'Data');

  // 2. Paint: a background (membrane) stroke across the slice changes its labels; undo restores them.
  const before = await studio.classCounts(first.id);
  await page.getByRole('radio', { name: 'Brush' }).click();
  await page.getByRole('radio', { name: /background/ }).click();
  await page.getByRole('slider', { name: 'Brush radius' }).fill('6');
  await studio.drag([0.2, 0.5], [0.8, 0.5]);
  await expect.poll(async () => (await studio.classCounts(first.id))['0']).toBeGreaterThan(before['0']! + 500);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect.poll(async () => (await studio.classCounts(first.id))['0']).toBe(before['0']);
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect.poll(async () => (await studio.classCounts(first.id))['0']).toBeGreaterThan(before['0']! + 500);
  const painted = await studio.classCounts(first.id);
  await studio.attachPanel(testInfo, 'Label', '-painted');

  // 3. The weight map preview is not empty (borders between cells weigh up to w0 + class weight).
  await studio.openStep('Previews');
  const weightMap = page.getByRole('img', { name: 'Weight map preview' });
  await weightMap.scrollIntoViewIfNeeded();
  await expect.poll(async () => Number(await weightMap.getAttribute('data-nonzero-pixels'))).toBeGreaterThan(100_000);
  expect(Number(await weightMap.getAttribute('data-max-weight'))).toBeGreaterThan(5);
  await studio.attachPanel(testInfo, 'Previews');

  // 4. Train the tiny preset: pause, resume, then stop after a few steps; the loss lands on the chart.
  //    (Stopping keeps the run short on a software GPU; a full run also validates, which the unit tests cover.)
  const train = await studio.startTinyRun(200, 2);
  const steps = () => studio.stepsDone();
  await train.getByRole('button', { name: 'Pause' }).click();
  await expect(train.getByRole('status', { name: 'Training status' })).toHaveAttribute('data-status', 'paused', { timeout: 60_000 });
  const pausedAt = await steps();
  await page.waitForTimeout(1000);
  expect(await steps()).toBe(pausedAt); // paused means no steps
  await train.getByRole('button', { name: 'Resume' }).click();
  await expect.poll(steps, { timeout: 120_000 }).toBeGreaterThanOrEqual(pausedAt + TRAIN_STEPS - 2);
  await train.getByRole('button', { name: 'Stop' }).click();
  await expect.poll(async () => (await studio.state()).training.status, { timeout: 120_000 }).toBe('done');
  const training = (await studio.state()).training;
  expect(training.losses.length).toBeGreaterThanOrEqual(TRAIN_STEPS);
  expect(training.losses.every((l) => Number.isFinite(l.loss))).toBe(true);
  const chart = train.getByRole('img', { name: 'Training loss chart' });
  await expect(chart).toHaveAttribute('data-points', String(training.losses.length));
  await expect(train.getByRole('progressbar', { name: 'Training progress' })).toHaveAttribute('aria-valuenow', String(training.losses.length));
  // The engine's memory is on screen (SwiftShader's WebGPU: the GPU buffer pool, at least the tiny net's tiles).
  const trainMemory = train.getByLabel('Engine memory');
  await expect(trainMemory).toContainText(/Engine memory: [\d.]+ (kB|MB|GB) \(GPU buffers, high-water mark\)/);
  expect(Number(await trainMemory.getAttribute('data-bytes'))).toBeGreaterThan(64 * 64 * 4);
  await studio.attachPanel(testInfo, 'Train');

  // 5. Predict the current slice: the overlay is drawn on the canvas.
  const predict = await studio.openStep('Predict');
  await predict.getByRole('button', { name: 'Predict this slice' }).click();
  await expect(predict.getByRole('status', { name: 'Prediction status' })).toHaveAttribute('data-status', 'done', { timeout: 900_000 });
  await expect(predict.getByLabel('Engine memory')).toContainText(/Engine memory: [\d.]+ (kB|MB|GB)/);
  expect((await studio.state()).prediction.predictedSliceIds).toEqual([first.id]);
  const metricsTable = predict.getByRole('table', { name: 'Metrics' });
  await expect(metricsTable).toBeVisible();
  // The sweep scores arrive from the scoring worker: every cell a number, V_Rand and V_Info in [0, 1].
  await expect(metricsTable).toHaveAttribute('data-scoring', 'false', { timeout: 60_000 });
  const cells = (await metricsTable.locator('tbody tr').first().locator('td').allInnerTexts()).map(Number);
  expect(cells).toHaveLength(6);
  expect(cells.every((v) => Number.isFinite(v) && v >= 0 && v <= 1)).toBe(true);
  await studio.attachPanel(testInfo, 'Predict');
  // The overlay is on the canvas: with the labels hidden, the foreground prediction tints it blue;
  // hiding the prediction layer too takes the tint away (the layers are in the Label step).
  await studio.openStep('Label');
  await page.getByRole('checkbox', { name: 'Labels' }).uncheck();
  await expect.poll(() => studio.bluishPixels()).toBeGreaterThan(10_000);
  await studio.attachPanel(testInfo, 'Label', '-prediction');
  await page.getByRole('checkbox', { name: 'Prediction', exact: true }).uncheck();
  await expect.poll(() => studio.bluishPixels()).toBeLessThan(100);
  await page.getByRole('checkbox', { name: 'Prediction', exact: true }).check();
  await page.getByRole('checkbox', { name: 'Labels' }).check();

  // 6. Accept the prediction as labels (in the Predict step), then correct it with one stroke of class 1.
  await studio.openStep('Predict');
  await page.getByRole('button', { name: 'Accept prediction as labels' }).click();
  const accepted = await page.evaluate((id) => {
    const studioHandle = (window as unknown as { __studio: { slices: { get(id: string): { classes: Int32Array } }; predictions: { classesOf(id: string, t: number): Int32Array } } }).__studio;
    const labels = studioHandle.slices.get(id).classes;
    const predicted = studioHandle.predictions.classesOf(id, 0.5);
    let differ = 0;
    for (let i = 0; i < labels.length; i++) if (labels[i] !== predicted[i]) differ++;
    return differ;
  }, first.id);
  expect(accepted).toBe(0);
  await page.getByRole('radio', { name: /foreground/ }).click();
  await studio.drag([0.5, 0.2], [0.5, 0.8]);
  const corrected = await studio.classCounts(first.id);
  await expect.poll(async () => (await studio.classCounts(first.id))['1']).toBeGreaterThan(0);
  expect(corrected).not.toEqual(painted);

  // 7. Export the model as files: model.json parses and its weights file has the bytes the manifest lists.
  const model = await studio.openStep('Model and exports');
  const downloads: { name: string; path: string }[] = [];
  page.on('download', async (download) => downloads.push({ name: download.suggestedFilename(), path: await download.path() }));
  await model.getByRole('button', { name: 'Export model (files)' }).click();
  await expect.poll(() => downloads.length).toBeGreaterThanOrEqual(2);
  await expect.poll(() => downloads.every((d) => d.path)).toBe(true);
  const modelJson = downloads.find((d) => d.name === 'model.json');
  expect(modelJson, `downloads: ${downloads.map((d) => d.name).join(', ')}`).toBeDefined();
  const parsed = JSON.parse(readFileSync(modelJson!.path, 'utf8')) as { weightsManifest: { paths: string[]; weights: { shape: number[]; dtype: string }[] }[] };
  const manifest = parsed.weightsManifest[0]!;
  const expectedBytes = manifest.weights.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
  const weightsName = manifest.paths[0]!.replace('./', '');
  const weightsFile = downloads.find((d) => d.name === weightsName);
  expect(weightsFile, `the weights file ${weightsName} was downloaded`).toBeDefined();
  expect(readFileSync(weightsFile!.path).byteLength).toBe(expectedBytes);
  await studio.attachPanel(testInfo, 'Model and exports');

  // 8. Import it back: the studio asks before replacing the trained model, then says the model came from a file.
  const questions: string[] = [];
  page.once('dialog', (dialog) => { questions.push(dialog.message()); void dialog.accept(); });
  await model.getByLabel('Model files').setInputFiles([
    { name: 'model.json', mimeType: 'application/json', buffer: readFileSync(modelJson!.path) },
    { name: weightsName, mimeType: 'application/octet-stream', buffer: readFileSync(weightsFile!.path) },
  ]);
  await expect.poll(async () => (await studio.state()).model.source).toBe('imported');
  expect(questions).toEqual([expect.stringMatching(/^Replace the current model \(tiny preset, \d+ steps, tile \d+ px\) with \u2068model\.json\u2069\?/)]);

  // 9. Reload: the corrected labels come back from IndexedDB (saved within milliseconds of each stroke).
  await expect.poll(async () => (await studio.state()).project.persistence, { timeout: 30_000 }).toBe('saved');
  const savedCounts = await studio.classCounts(first.id);
  // The studio asked the browser to keep its storage (the answer is the browser's: true or false, not "never asked").
  await expect.poll(async () => typeof (await studio.state()).project.storagePersisted).toBe('boolean');
  await page.reload();
  await studio.open();
  await expect(page.getByRole('status', { name: 'Data summary' })).toContainText('20 slices, 20 labelled', { timeout: 60_000 });
  await expect.poll(() => studio.classCounts(first.id)).toEqual(savedCounts);
  await expect.poll(async () => (await studio.state()).model.available, { timeout: 60_000 }).toBe(true);
  const afterReload = testInfo.outputPath('studio-after-reload.png');
  await page.screenshot({ path: afterReload, fullPage: true });
  await testInfo.attach('studio after reload', { path: afterReload, contentType: 'image/png' });
});
