/**
 * A first visit: "Load example" gives an annotated EM-like stack generated in the page, shown with
 * its labels; the slice slider and the label opacity work.
 */
import { expect, test } from './fixtures';
import { StudioPage } from './pages/StudioPage';

test('Load example shows an annotated stack and lets the user browse it', async ({ page }, testInfo) => {
  await page.goto('./?test-hooks');
  await page.getByRole('button', { name: 'Load example' }).click();
  await expect(page.getByRole('status', { name: 'Data summary' })).toHaveText('4 slices, 3 labelled. Showing example slice 1 (256x256 px).');
  const canvas = page.getByRole('img', { name: 'Current slice with labels' });
  await expect(canvas).toHaveAttribute('data-slice', 'example-0');

  // The canvas really shows the image with the label overlay: membranes (class 0, red) and cells (class 1, blue).
  const colours = async () => canvas.evaluate((el: HTMLCanvasElement) => {
    const data = el.getContext('2d')!.getImageData(0, 0, el.width, el.height).data;
    let reddish = 0;
    let bluish = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i]! > data[i + 2]! + 30) reddish++;
      if (data[i + 2]! > data[i]! + 30) bluish++;
    }
    return { reddish, bluish, imageWidth: Number(el.dataset.imageWidth) };
  });
  const overlay = await colours();
  expect(overlay.imageWidth).toBe(256);
  expect(overlay.reddish).toBeGreaterThan(1000);
  expect(overlay.bluish).toBeGreaterThan(20000);

  const studio = new StudioPage(page);
  await studio.openStep('Label');
  await page.getByRole('slider', { name: 'Label opacity' }).fill('0');
  await expect.poll(async () => (await colours()).bluish).toBe(0);

  await page.getByRole('slider', { name: 'Slice' }).fill('4');
  await expect(page.getByRole('status', { name: 'Data summary' })).toContainText('Showing example slice 4');
  await expect(canvas).toHaveAttribute('data-slice', 'example-3');
  await page.getByRole('slider', { name: 'Label opacity' }).fill('0.5');

  // Loading again would replace labelled slices: the studio asks first, and "Cancel" keeps them.
  const questions: string[] = [];
  page.once('dialog', (dialog) => { questions.push(dialog.message()); void dialog.dismiss(); });
  await studio.openStep('Data');
  await page.getByRole('button', { name: 'Load example' }).click();
  await expect.poll(() => questions.length).toBe(1);
  expect(questions[0]).toContain('replaces the 4 slices on screen, 3 with labels');
  await expect(page.getByRole('status', { name: 'Data summary' })).toContainText('Showing example slice 4');

  await testInfo.attach('data-panel', { body: await page.screenshot(), contentType: 'image/png' });
});
