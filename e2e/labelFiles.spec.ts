/**
 * A label file whose values are not 0..N-1 (0, 1, 2, 9): the Data panel says how it was read, and
 * the user reads it another way (instance map, binary mask) from a menu beside it; the class
 * picker and the labels follow, and painted labels are not replaced without asking.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { encodePng } from '../src/core/io/encodePng';
import { expect, test } from './fixtures';
import { StudioPage } from './pages/StudioPage';

test('a label file of values 0, 1, 2, 9 is read as 4 classes, says so, and can be read as an instance map or a binary mask', async ({ page }, testInfo) => {
  const size = 48;
  const values = Uint8Array.from({ length: size * size }, (_, i) => [0, 1, 2, 9][Math.floor((i % size) / 12)]!); // four vertical bands
  const image = testInfo.outputPath('cells.png');
  const mask = testInfo.outputPath('cells_mask.png');
  writeFileSync(image, encodePng({ width: size, height: size, slices: 1, channels: 1, dtype: 'uint8', data: new Uint8Array(size * size).fill(80) }));
  writeFileSync(mask, encodePng({ width: size, height: size, slices: 1, channels: 1, dtype: 'uint8', data: values }));
  const studio = new StudioPage(page);
  await studio.open('wasm');
  await studio.dropFiles([image, mask]);
  await expect(page.getByRole('status', { name: 'Data summary' })).toContainText('1 slice, 1 labelled');

  const readings = page.getByRole('list', { name: 'Label files read as' });
  await expect(readings).toContainText('cells_mask.png labels cells.png: 4 classes: values 0, 1, 2, 9 are classes 0-3');
  const classes = page.getByRole('radiogroup', { name: 'Class' }).getByRole('radio');
  await expect(classes).toHaveCount(5); // 4 classes and "unlabelled"
  const id = (await studio.state()).data.currentSliceId!;
  expect(await studio.classCounts(id)).toEqual({ 0: 576, 1: 576, 2: 576, 3: 576 });
  await testInfo.attach('read as classes', { body: await studio.panel('Data').screenshot(), contentType: 'image/png' });

  const menu = page.getByRole('combobox', { name: 'Read cells_mask.png as' });
  await menu.selectOption({ label: 'read as instance map' });
  await expect(readings).toContainText('cells_mask.png labels cells.png: instance map: 0 is background, 3 objects (each its own value)');
  await expect(classes).toHaveCount(3);
  expect(await studio.classCounts(id)).toEqual({ 0: 576, 1: 3 * 576 });

  // Paint one dab; reading the file again asks first, and "Cancel" keeps the dab.
  await page.getByRole('radio', { name: 'Brush' }).click();
  await page.getByRole('radio', { name: /background/ }).click();
  await studio.drag([0.8, 0.5], [0.85, 0.5]);
  await expect.poll(async () => (await studio.classCounts(id))['0']).toBeGreaterThan(576);
  const painted = await studio.classCounts(id);
  const questions: string[] = [];
  page.once('dialog', (dialog) => { questions.push(dialog.message()); void dialog.dismiss(); });
  await menu.selectOption({ label: 'read as binary mask' });
  await expect.poll(() => questions).toEqual(['Reading \u2068cells_mask.png\u2069 again (binary mask: every value but 0 is foreground) replaces the labels painted on its slice since it was loaded. Read it again?']);
  expect(await studio.classCounts(id)).toEqual(painted);
  await expect(menu).toHaveValue('instances');

  page.once('dialog', (dialog) => void dialog.accept());
  await menu.selectOption({ label: 'read as binary mask' });
  await expect(readings).toContainText('binary mask: every value but 0 is foreground');
  expect(await studio.classCounts(id)).toEqual({ 0: 576, 1: 3 * 576 });
  await testInfo.attach('read as binary mask', { body: await studio.panel('Data').screenshot(), contentType: 'image/png' });
});

test('label files pair on the label word anywhere in the name, and the Data panel says which image each one labels', async ({ page }, testInfo) => {
  const size = 32;
  const write = (name: string, value: (i: number) => number) => {
    const path = testInfo.outputPath(name);
    writeFileSync(path, encodePng({ width: size, height: size, slices: 1, channels: 1, dtype: 'uint8', data: Uint8Array.from({ length: size * size }, (_, i) => value(i)) }));
    return path;
  };
  const files = [
    write('train-volume-0-9.png', () => 90), write('train-labels-0-9.png', (i) => (i % size < 16 ? 255 : 0)),
    write('img2d.png', () => 60), write('mask2d.png', (i) => (i < size * 8 ? 1 : 0)),
  ];
  const studio = new StudioPage(page);
  await studio.open('wasm');
  await studio.dropFiles(files);
  await expect(page.getByRole('status', { name: 'Data summary' })).toContainText('2 slices, 2 labelled');
  const readings = page.getByRole('list', { name: 'Label files read as' });
  await expect(readings).toContainText('train-labels-0-9.png labels train-volume-0-9.png: binary mask');
  await expect(readings).toContainText('mask2d.png labels img2d.png: binary mask');
  await testInfo.attach('paired by name', { body: await studio.panel('Data').screenshot(), contentType: 'image/png' });
});

test('a label file its name does not give away is paired by hand, and the Data panel says what pairs with what', async ({ page }, testInfo) => {
  const size = 32;
  const write = (name: string, value: (i: number) => number) => {
    const path = testInfo.outputPath(name);
    writeFileSync(path, encodePng({ width: size, height: size, slices: 1, channels: 1, dtype: 'uint8', data: Uint8Array.from({ length: size * size }, (_, i) => value(i)) }));
    return path;
  };
  const studio = new StudioPage(page);
  await studio.open('wasm');
  await studio.dropFiles([write('nuclei.png', (i) => 40 + (i % 7)), write('cells.png', (i) => (i % size < 16 ? 255 : 0))]);
  const summary = page.getByRole('status', { name: 'Import summary' });
  await expect(summary).toHaveText('2 slices from 2 images, 0 labelled');
  await page.getByText('Pair by hand').click();
  await page.getByRole('combobox', { name: 'File to pair' }).selectOption('cells.png');
  await page.getByRole('combobox', { name: 'Pair it as' }).selectOption({ label: 'the labels of nuclei.png' });
  await page.getByRole('button', { name: 'Pair and read again' }).click();
  await expect(summary).toHaveText('1 slice from 1 image, 1 labelled');
  await expect(page.getByRole('list', { name: 'Label files read as' })).toContainText('cells.png labels nuclei.png: binary mask');
  await expect(page.getByText('Paired by hand:')).toContainText('cells.png labels nuclei.png');
  await expect(page.getByRole('status', { name: 'Data summary' })).toContainText('1 slice, 1 labelled.');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: 'docs/screenshots/pair-by-hand-1280x800.png' });
});

test('painted labels export as a TIFF that pairs with its image and reads back as the same labels, unlabelled pixels included', async ({ page, freshContext }, testInfo) => {
  const size = 64;
  const image = testInfo.outputPath('blank.png');
  writeFileSync(image, encodePng({ width: size, height: size, slices: 1, channels: 1, dtype: 'uint8', data: new Uint8Array(size * size).fill(70) }));
  const studio = new StudioPage(page);
  await studio.open('wasm');
  await studio.dropFiles([image]);
  await expect(page.getByRole('status', { name: 'Data summary' })).toContainText('1 slice, 0 labelled');
  await page.getByRole('radio', { name: 'Brush' }).click();
  await page.getByRole('radio', { name: /foreground/ }).click();
  await studio.drag([0.2, 0.3], [0.8, 0.3]);
  await page.getByRole('radio', { name: /background/ }).click();
  await studio.drag([0.2, 0.7], [0.8, 0.7]);
  const id = (await studio.state()).data.currentSliceId!;
  await expect.poll(async () => Object.keys(await studio.classCounts(id)).length).toBe(3); // -1, 0 and 1
  const painted = await studio.classCounts(id);

  const model = await studio.openStep('Model and exports');
  const downloads: { name: string; path: string | null }[] = [];
  page.on('download', async (download) => {
    const entry = { name: download.suggestedFilename(), path: null as string | null };
    downloads.push(entry);
    entry.path = await download.path();
  });
  await model.getByRole('button', { name: 'Export labels (TIFF)' }).click();
  await expect.poll(() => downloads.filter((d) => d.path).length).toBe(1);
  expect(downloads[0]!.name).toBe('blank_labels.tif');
  const exported = testInfo.outputPath('blank_labels.tif');
  writeFileSync(exported, readFileSync(downloads[0]!.path!));
  await testInfo.attach('Model and exports with the label exports', { body: await model.screenshot(), contentType: 'image/png' });

  // Another browser profile (an empty project): the image and its exported labels, dropped together.
  const other = await (await freshContext()).newPage();
  const again = new StudioPage(other);
  await again.open('wasm');
  await again.dropFiles([image, exported]);
  await expect(other.getByRole('status', { name: 'Data summary' })).toContainText('1 slice, 1 labelled');
  await expect(other.getByRole('list', { name: 'Label files read as' })).toContainText('blank_labels.tif labels blank.png: 2 classes: values 0-1, 255 is unlabelled');
  const reread = await again.classCounts((await again.state()).data.currentSliceId!);
  expect(reread).toEqual(painted);
});
