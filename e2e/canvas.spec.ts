/**
 * The canvas on a large 16-bit image (2048x2048): the automatic contrast window ignores rare
 * outliers, a manual window applies, wheel zoom keeps the point under the cursor, and brush
 * strokes land on the image pixels under the pointer after zooming and panning.
 */
import { writeFileSync } from 'node:fs';
import { encodePng } from '../src/core/io/encodePng';
import { expect, test } from './fixtures';
import { StudioPage } from './pages/StudioPage';

const SIZE = 2048;

function bigImage(): Uint8Array {
  const data = new Uint16Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++) for (let x = 0; x < SIZE; x++) data[y * SIZE + x] = 1000 + Math.round((4000 * (x + y)) / (2 * SIZE));
  for (let y = 100; y < 120; y++) for (let x = 100; x < 120; x++) data[y * SIZE + x] = 60000; // a rare hot spot
  return encodePng({ width: SIZE, height: SIZE, slices: 1, channels: 1, dtype: 'uint16', data });
}

/** Centroid of the pixels of class `k` on the current slice. */
async function centroidOf(studio: StudioPage, k: number) {
  return studio.page.evaluate((value) => {
    const handle = (window as unknown as { __studio: { getState(): { data: { currentSliceId: string } }; slices: { get(id: string): { classes: Int32Array; width: number } } } }).__studio;
    const record = handle.slices.get(handle.getState().data.currentSliceId);
    let n = 0; let sx = 0; let sy = 0;
    record.classes.forEach((c, i) => { if (c === value) { n++; sx += i % record.width; sy += Math.floor(i / record.width); } });
    return { n, x: sx / n, y: sy / n };
  }, k);
}

test('a 2048x2048 16-bit image: contrast window, wheel zoom, pan, and strokes where the pointer is', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  const path = testInfo.outputPath('big16.png');
  writeFileSync(path, bigImage());
  const studio = new StudioPage(page);
  await page.setViewportSize({ width: 1440, height: 1000 });
  await studio.open();
  await studio.dropFiles([path]);
  await expect(page.getByRole('status', { name: 'Data summary' })).toContainText('1 slice, 0 labelled', { timeout: 60_000 });
  const canvas = studio.canvas;
  await expect(canvas).toHaveAttribute('data-image-width', String(SIZE));

  // Auto window: the 0.5-99.5 % range of the gradient, not the 60000 hot spot. x + y over the square is
  // triangular: P(x + y < t) = t^2 / 2 (as fractions of 2 SIZE), so the 0.5 % point is t = 0.1 -> 1200 and
  // the 99.5 % point 4800.
  await expect(canvas).toHaveAttribute('data-contrast-high', /.+/);
  const low = Number(await canvas.getAttribute('data-contrast-low'));
  const high = Number(await canvas.getAttribute('data-contrast-high'));
  expect(Math.abs(low - 1200)).toBeLessThan(20);
  expect(Math.abs(high - 4800)).toBeLessThan(20);
  // Manual contrast starts from the window on screen (issue 13, item 7), not 0-65535 (a black image).
  const label = await studio.openStep('Label');
  await label.getByRole('checkbox', { name: /Auto/ }).uncheck();
  await expect(label.getByRole('spinbutton', { name: 'Contrast low' })).toHaveValue(String(Math.floor(low)));
  await expect(label.getByRole('spinbutton', { name: 'Contrast high' })).toHaveValue(String(Math.ceil(high)));
  await expect(canvas).toHaveAttribute('data-contrast-high', String(Math.ceil(high)));
  await label.getByRole('spinbutton', { name: 'Contrast high' }).fill('3000');
  await expect(canvas).toHaveAttribute('data-contrast-high', '3000');

  // Zoom in about the canvas centre: the image centre stays under it.
  // Clicking the toolbar may scroll the page: read the canvas's position just before each pointer action.
  const canvasCentre = async () => {
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  };
  /** A click of the current tool at the canvas centre (a dab with the brush). */
  const dabAtCentre = async () => {
    const at = await canvasCentre();
    await page.mouse.move(at.x, at.y);
    await page.mouse.down();
    await page.mouse.up();
  };
  let centre = await canvasCentre();
  const fitted = Number(await canvas.getAttribute('data-scale'));
  await page.mouse.move(centre.x, centre.y);
  await page.mouse.wheel(0, -600);
  await expect.poll(async () => Number(await canvas.getAttribute('data-scale'))).toBeGreaterThan(fitted * 2);
  const scale = Number(await canvas.getAttribute('data-scale'));

  // A brush dab at the centre paints around the image centre.
  await page.getByRole('radio', { name: 'Brush' }).click();
  await page.getByRole('radio', { name: /foreground/ }).click();
  await page.getByRole('slider', { name: 'Brush radius' }).fill('4');
  await dabAtCentre();
  await expect.poll(async () => (await centroidOf(studio, 1)).n).toBeGreaterThan(30);
  const dab = await centroidOf(studio, 1);
  expect(Math.abs(dab.x - SIZE / 2)).toBeLessThan(2);
  expect(Math.abs(dab.y - SIZE / 2)).toBeLessThan(2);

  // Pan by (200, 100) screen px, then a background stroke at the centre lands 200/scale, 100/scale image px up-left.
  await page.getByRole('radio', { name: 'Pan and zoom' }).click();
  centre = await canvasCentre();
  await page.mouse.move(centre.x, centre.y);
  await page.mouse.down();
  await page.mouse.move(centre.x + 200, centre.y + 100, { steps: 5 });
  await page.mouse.up();
  await page.getByRole('radio', { name: 'Brush' }).click();
  await page.getByRole('radio', { name: /background/ }).click();
  await dabAtCentre();
  await expect.poll(async () => (await centroidOf(studio, 0)).n).toBeGreaterThan(30);
  const panned = await centroidOf(studio, 0);
  const ratio = await page.evaluate(() => window.devicePixelRatio);
  expect(Math.abs(panned.x - (SIZE / 2 - (200 * ratio) / scale))).toBeLessThan(3);
  expect(Math.abs(panned.y - (SIZE / 2 - (100 * ratio) / scale))).toBeLessThan(3);
  await testInfo.attach('zoomed 2048 px canvas', { body: await page.screenshot(), contentType: 'image/png' });
});
