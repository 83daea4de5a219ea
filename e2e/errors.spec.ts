/**
 * Failure paths as the user meets them: files that cannot be used are listed with the reason,
 * naming each file, and a model.json chosen without its weights file is refused with a message
 * that says which file is missing. Nothing is left half-loaded.
 */
import { writeFileSync } from 'node:fs';
import { encodePng } from '../src/core/io/encodePng';
import { expect, test } from './fixtures';
import { StudioPage } from './pages/StudioPage';

test('unusable files and an incomplete model are named, with what to do', async ({ page }, testInfo) => {
  const file = (name: string, bytes: Uint8Array | string) => {
    const path = testInfo.outputPath(name);
    writeFileSync(path, bytes);
    return path;
  };
  const grey = encodePng({ width: 32, height: 32, slices: 1, channels: 1, dtype: 'uint8', data: new Uint8Array(32 * 32).fill(90) });
  const wrongSizeLabels = encodePng({ width: 16, height: 16, slices: 1, channels: 1, dtype: 'uint8', data: new Uint8Array(16 * 16) });
  const studio = new StudioPage(page);
  await studio.open();
  await studio.dropFiles([
    file('cells.png', grey),
    file('cells_mask.png', wrongSizeLabels),
    file('broken.tif', new Uint8Array([0x49, 0x49, 42, 0, 8, 0, 0, 0, 1])),
    file('notes.txt', 'not an image'),
  ]);
  const problems = page.getByRole('list', { name: 'Files not used' });
  await expect(problems).toContainText('cells_mask.png', { timeout: 30_000 });
  await expect(problems).toContainText('broken.tif');
  await expect(problems).toContainText('notes.txt');
  // The good image still loads, without the labels that did not fit it.
  await expect(page.getByRole('status', { name: 'Data summary' })).toContainText('1 slice, 0 labelled');
  await testInfo.attach('import problems', { body: await studio.panel('Data').screenshot(), contentType: 'image/png' });

  // A model.json alone: the studio names the weights file it needs.
  const modelJson = JSON.stringify({
    format: 'layers-model', modelTopology: { class_name: 'Model' },
    weightsManifest: [{ paths: ['./model.weights.bin'], weights: [{ name: 'w', shape: [2, 2], dtype: 'float32' }] }],
  });
  await (await studio.openStep('Model and exports')).getByLabel('Model files').setInputFiles([{ name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(modelJson) }]);
  const alert = page.getByRole('alert').filter({ hasText: 'model.weights.bin' });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('model.json');
  expect((await studio.state()).model.available).toBe(false);
});

test('an image too big to hold is refused from its header at once, naming the limit, and the rest still loads', async ({ page }, testInfo) => {
  // A PNG whose header says 20000 x 20000 (400 Mpx): refused before a byte of it is decoded.
  const png = encodePng({ width: 4, height: 4, slices: 1, channels: 1, dtype: 'uint8', data: new Uint8Array(16) });
  const view = new DataView(png.buffer, png.byteOffset);
  view.setUint32(16, 30000);
  view.setUint32(20, 30000);
  const huge = testInfo.outputPath('whole-slide.png');
  writeFileSync(huge, png);
  const small = testInfo.outputPath('tile.png');
  writeFileSync(small, encodePng({ width: 32, height: 32, slices: 1, channels: 1, dtype: 'uint8', data: new Uint8Array(32 * 32).fill(90) }));
  const studio = new StudioPage(page);
  await studio.open('wasm');
  await studio.dropFiles([huge, small]);
  const problems = page.getByRole('list', { name: 'Files not used' });
  await expect(problems).toContainText('\u2068whole-slide.png\u2069 is 30000×30000 px (900 Mpx); the studio takes slices of up to 537 Mpx (about 23170×23170 px)');
  await expect(page.getByRole('status', { name: 'Data summary' })).toContainText('1 slice, 0 labelled');
});
