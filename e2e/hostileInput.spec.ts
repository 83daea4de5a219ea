/**
 * Imports that cannot hurt, and messages a person can read, through the UI: hostile-but-parseable
 * models are refused before anything changes (NaN weights, impossible normalisation, another
 * channel count, no normalisation), a model with more classes asks first and brings its class
 * names, a paused run blocks imports, a refused training start leaves the panel usable, and a file
 * name with a right-to-left override cannot reorder the message that names it.
 */
import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { encodePng } from '../src/core/io/encodePng';
import { buildUNet } from '../src/core/model/buildUNet';
import { saveModelFiles } from '../src/core/model/modelFiles';
import type { ModelMetadata } from '../src/core/model/modelMetadata';
import type { UNetConfig } from '../src/core/model/unetConfig';
import { expect, test } from './fixtures';
import { StudioPage } from './pages/StudioPage';

const TINY: UNetConfig = { architecture: 'unet', depth: 2, baseChannels: 4, padding: 'same', inputChannels: 1, numClasses: 2, dropoutRate: 0, batchNorm: false, tileSizePx: 64 };

/** model.json + weights of a tiny U-Net, with its metadata (and weights) edited by `edit`. */
async function modelFiles(unet: UNetConfig, edit: (metadata: Record<string, unknown>, weights: Float32Array) => void = () => undefined) {
  await tf.setBackend('cpu');
  const model = buildUNet(unet, 3);
  const metadata: ModelMetadata = {
    format: 'unet-studio/1', architecture: unet, tile: { inputTilePx: 64, outputTilePx: 64, borderPx: 0 },
    normalisation: { kind: 'percentile', lowPercent: 1, highPercent: 99.8 },
    classNames: Array.from({ length: unet.numClasses }, (_, k) => ['background', 'nucleus', 'border'][k] ?? `class ${k}`),
    training: { steps: 10, preset: 'tiny', finalLoss: 0.5, bestValidationLoss: null, backend: 'cpu', savedAt: '2026-11-29T00:00:00Z' },
  };
  const files = await saveModelFiles(model, metadata);
  model.dispose();
  const json = JSON.parse(files.modelJson) as { userDefinedMetadata: { unetStudio: Record<string, unknown> } };
  const weights = new Float32Array(files.weights.slice(0));
  edit(json.userDefinedMetadata.unetStudio, weights);
  return [
    { name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(json)) },
    { name: 'model.weights.bin', mimeType: 'application/octet-stream', buffer: Buffer.from(weights.buffer) },
  ];
}

const alerts = (page: Page) => page.getByRole('alert');

async function dismissAll(page: Page): Promise<void> {
  while (await page.getByRole('button', { name: /^Dismiss error/ }).count() > 0) await page.getByRole('button', { name: /^Dismiss error/ }).first().click();
}

test.use({ viewport: { width: 1440, height: 900 } });

test('hostile models are refused before anything changes; more classes ask first; a paused run blocks imports', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  const studio = new StudioPage(page);
  await studio.open('wasm');
  await page.getByRole('button', { name: 'Load example' }).click();
  await expect(page.getByRole('status', { name: 'Data summary' })).toContainText('4 slices, 3 labelled');
  const modelPanel = studio.panel('Model and exports');
  const chooseModel = async (files: Awaited<ReturnType<typeof modelFiles>>) => modelPanel.getByLabel('Model files').setInputFiles(files);
  const modelStatus = modelPanel.getByRole('status', { name: 'Model', exact: true });

  // A refused training start (learning rate 1e6), dismissed: the panel is usable again, not "Starting...".
  const train = await studio.openStep('Train');
  await train.getByRole('spinbutton', { name: 'Learning rate' }).fill('1000000');
  await train.getByRole('button', { name: 'Start training' }).click();
  await expect(alerts(page).filter({ hasText: 'Learning rate must be a number above 0 and at most 1' })).toBeVisible();
  await dismissAll(page);
  await expect(train.getByRole('status', { name: 'Training status' })).not.toHaveAttribute('data-status', 'starting');
  await expect(train.getByRole('spinbutton', { name: 'Steps' })).toBeEnabled();
  await expect(train.getByRole('button', { name: 'Start training' })).toBeEnabled();

  // Hostile but parseable: each refused with what is wrong, and no model appears.
  const refusals: [string, Awaited<ReturnType<typeof modelFiles>>, RegExp][] = [
    ['all-NaN weights', await modelFiles(TINY, (_m, w) => w.fill(Number.NaN)), /weights hold [\d,]+ values that are not numbers/],
    ['percentiles -50..500', await modelFiles(TINY, (m) => { m.normalisation = { kind: 'percentile', lowPercent: -50, highPercent: 500 }; }), /percentiles -50\.\.500, not 0 <= low < high <= 100/],
    ['no normalisation', await modelFiles(TINY, (m) => { delete m.normalisation; }), /normalisation is missing/],
    ['a colour model', await modelFiles({ ...TINY, inputChannels: 3 }), /takes colour \(3 channels\) images, but the loaded slices are grey \(1 channel\)/],
  ];
  await studio.openStep('Model and exports');
  for (const [what, files, message] of refusals) {
    await chooseModel(files);
    await expect(alerts(page).filter({ hasText: message }), what).toBeVisible();
    await expect(modelStatus, what).toHaveText('No model yet');
    await dismissAll(page);
  }

  // Three classes over two: the studio asks; "Cancel" changes nothing, "OK" brings the model and its class names.
  const threeClasses = await modelFiles({ ...TINY, numClasses: 3 });
  const questions: string[] = [];
  page.once('dialog', (dialog) => { questions.push(dialog.message()); void dialog.dismiss(); });
  await chooseModel(threeClasses);
  await expect.poll(() => questions.length).toBe(1);
  expect(questions[0]).toContain("The project's classes (\u2068background\u2069, \u2068foreground\u2069) become the model's (\u2068background\u2069, \u2068nucleus\u2069, \u2068border\u2069)");
  await expect(modelStatus).toHaveText('No model yet');
  page.once('dialog', (dialog) => void dialog.accept());
  await chooseModel(threeClasses);
  await expect(modelStatus).toContainText('Imported model');
  const classPicker = page.getByRole('radiogroup', { name: 'Class' });
  await expect(classPicker.getByRole('radio', { name: /nucleus/ })).toBeVisible();
  await expect(classPicker.getByRole('radio', { name: /border/ })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('three-class-import.png') });
  await testInfo.attach('after the 3-class import', { path: testInfo.outputPath('three-class-import.png'), contentType: 'image/png' });

  // A paused run trains the current model: importing is off until it stops, and the panel says why.
  await studio.openStep('Train');
  await train.getByRole('combobox', { name: 'Preset' }).selectOption('tiny');
  await train.getByRole('spinbutton', { name: 'Steps' }).fill('5000');
  await train.getByRole('button', { name: 'Start training' }).click();
  await expect.poll(async () => (await studio.state()).training.losses.length, { timeout: 120_000 }).toBeGreaterThan(0);
  await train.getByRole('button', { name: 'Pause' }).click();
  await expect(train.getByRole('status', { name: 'Training status' })).toHaveAttribute('data-status', 'paused');
  await studio.openStep('Model and exports');
  await expect(modelPanel.getByRole('button', { name: 'Import model' })).toBeDisabled();
  await expect(modelPanel).toContainText('Stop training to import a model');
  await studio.openStep('Train');
  await train.getByRole('button', { name: 'Stop' }).click();
  await studio.openStep('Model and exports');
  await expect(modelPanel.getByRole('button', { name: 'Import model' })).toBeEnabled();
});

test('a file name with a right-to-left override cannot reorder the message that names it', async ({ page }, testInfo) => {
  const studio = new StudioPage(page);
  await studio.open('wasm');
  const evil = testInfo.outputPath('invoice\u202Egnp.tif');
  writeFileSync(evil, 'not an image at all');
  await studio.dropFiles([evil, (() => {
    const path = testInfo.outputPath('cells.png');
    writeFileSync(path, encodePng({ width: 8, height: 8, slices: 1, channels: 1, dtype: 'uint8', data: new Uint8Array(64) }));
    return path;
  })()]);
  const item = page.getByRole('list', { name: 'Files not used' }).getByRole('listitem').first();
  await expect(item).toContainText('is not an image file the studio recognises');
  expect(await item.textContent()).toContain('\u2068invoice[U+202E]gnp.tif\u2069 is not an image file'); // the disguise is shown, not obeyed
  // Laid out in reading order after the name: "is" before "image" before "recognises" on screen, as in
  // the sentence (each on the same line further right, or on a later line: the side panel wraps it).
  const order = await item.evaluate((li) => {
    const text = li.firstChild as Text;
    const at = (word: string) => {
      const range = document.createRange();
      const start = (text.textContent ?? '').indexOf(word);
      range.setStart(text, start);
      range.setEnd(text, start + word.length);
      const box = range.getClientRects()[0] as DOMRect;
      return { top: box.top, left: box.left };
    };
    return { is: at(' is '), image: at(' image '), recognises: at('recognises') };
  });
  const before = (a: { top: number; left: number }, b: { top: number; left: number }) => a.top < b.top - 2 || (Math.abs(a.top - b.top) <= 2 && a.left < b.left);
  expect(before(order.is, order.image), JSON.stringify(order)).toBe(true);
  expect(before(order.image, order.recognises), JSON.stringify(order)).toBe(true);
  await studio.attachPanel(testInfo, 'Data', '-bidi');
});
