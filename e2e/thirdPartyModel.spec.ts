/**
 * Issue 16's last piece: a third-party bioimage.io package (the PyTorch-made test package of
 * scripts/make_bioimageio_import_fixtures.py, ONNX weights, zero_mean_unit_variance, sigmoid output)
 * imported in the built page, under its Content-Security-Policy: onnxruntime-web is not fetched at
 * start-up, only once the package is imported, and from the page's own origin; the page reproduces the
 * package's test output, predicts a real DSB 2018 nuclei image (several tiles) into the usual overlay,
 * and the Train step refuses to continue the model, saying why.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { zipSync } from 'fflate';
import { expect, test } from './fixtures';
import { StudioPage } from './pages/StudioPage';

const PACKAGE = resolve(import.meta.dirname, '../src/core/bioimageioImport/fixtures/thirdparty-0.5');
const DSB = resolve(import.meta.dirname, '../../shared/data/nuclei/dsb2018-stage1-subset');
/** 696 x 520 px, grey fluorescence, 369 nuclei: more than one 512 px tile. */
const IMAGE_ID = '0ea221716cf13710214dcd331a61cea48308c3940df1d28cfc7fd817c83714e1';
const SCREENSHOTS = resolve(import.meta.dirname, '../docs/screenshots');

test.use({ viewport: { width: 1280, height: 800 } });

test('imports a third-party bioimage.io package, predicts a real image with its ONNX weights and refuses to train it', async ({ page }) => {
  test.setTimeout(240_000);
  test.skip(!existsSync(DSB) && process.env.UNET_STUDIO_REQUIRE_PEERS !== '1', `../shared/data/nuclei is absent (${DSB})`);
  const onnxRuntimeRequests: string[] = [];
  page.context().on('request', (request) => { if (/ort[.-]/.test(request.url())) onnxRuntimeRequests.push(request.url()); });

  const studio = new StudioPage(page);
  await studio.open('wasm');
  await studio.dropFiles([`${DSB}/images/${IMAGE_ID}.png`]);
  await expect(page.getByRole('status', { name: 'Data summary' })).toContainText('1 slice,');
  expect(onnxRuntimeRequests, 'onnxruntime-web fetched before any ONNX model was imported').toEqual([]);

  const zip = zipSync(Object.fromEntries(readdirSync(PACKAGE).map((name) => [`blobnet/${name}`, new Uint8Array(readFileSync(join(PACKAGE, name)))])));
  const model = await studio.openStep('Model and exports');
  const questions: string[] = [];
  page.once('dialog', (dialog) => { questions.push(dialog.message()); void dialog.accept(); });
  await studio.importModelFile('blobnet-nuclei.bioimageio.zip', zip);
  await expect.poll(async () => (await studio.state()).model.source, { timeout: 60_000 }).toBe('third-party');
  expect(questions.join('\n')).toContain('third-party model: the studio predicts with it but cannot train it');
  await expect(model.getByRole('status', { name: 'Model' })).toContainText('Third-party model: ');
  await expect(model.getByRole('status', { name: 'Model' })).toContainText('BlobNet 2D nuclei');
  const note = model.getByRole('note', { name: 'Third-party model' });
  await expect(note).toContainText('Its own test output was reproduced here');
  await expect(note).toContainText('2 classes, background and');
  await expect(model.getByRole('button', { name: 'Export ONNX' })).toBeDisabled();
  // Loaded once it was needed, and from the page's own origin (the fixture fails the test on any other).
  expect(onnxRuntimeRequests.some((url) => url.endsWith('.wasm'))).toBe(true);

  await studio.predictSlice();
  const state = await studio.state();
  expect(state.prediction.predictedSliceIds).toHaveLength(1);
  const predict = studio.panel('Predict');
  await expect(predict.getByRole('status', { name: 'Prediction status' })).toHaveAttribute('data-status', 'done');
  expect(await studio.bluishPixels()).toBeGreaterThan(1000); // the overlay is drawn
  // The count the Predict step shows, as a user reads it.
  const count = Number(/^([\d,]+) objects/.exec(await predict.getByLabel('Objects found').innerText())?.[1]?.replaceAll(',', '') ?? 0);
  console.info(`[e2e] third-party model on DSB ${IMAGE_ID.slice(0, 8)} (369 nuclei in the truth): ${count} objects predicted`);
  expect(count).toBeGreaterThan(50);

  const train = await studio.openStep('Train');
  await expect(train.getByRole('button', { name: 'Start training' })).toBeDisabled();
  await expect(train.getByRole('status', { name: 'Training unavailable' })).toContainText('predict only: training needs a studio model');

  await studio.openStep('Model and exports');
  await page.screenshot({ path: `${SCREENSHOTS}/third-party-model-1280x800.png` });
});
