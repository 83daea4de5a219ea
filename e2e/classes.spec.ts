/**
 * Classes and overlays (issue 13 item 8): labels are filled in their class's colour and the
 * prediction is outlined in a paler tint of it, never the same colour; a class is added, named
 * and recoloured in the Label step, painted with its number key, and comes back after a reload.
 * Screenshots at 1280x800 and 1920x1080 go to docs/screenshots/; axe finds nothing serious.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { resolve } from 'node:path';
import { expect, test } from './fixtures';
import { StudioPage } from './pages/StudioPage';

const SCREENSHOTS = resolve(import.meta.dirname, '../docs/screenshots');
const FOREGROUND = [60, 160, 240]; // class 1's default colour (src/core/image/classColours.ts)
const FOREGROUND_TINT = [158, 208, 248]; // halfway to white: the prediction's colour for class 1

/** Canvas pixels within 6 per channel of `rgb`. */
function pixelsNear(page: Page, rgb: readonly number[]): Promise<number> {
  return new StudioPage(page).canvas.evaluate((el: HTMLCanvasElement, target) => {
    const data = el.getContext('2d')!.getImageData(0, 0, el.width, el.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i]! - target[0]!) <= 6 && Math.abs(data[i + 1]! - target[1]!) <= 6 && Math.abs(data[i + 2]! - target[2]!) <= 6) n++;
    }
    return n;
  }, rgb);
}

async function seriousAxeFindings(page: Page, what: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations.map((v) => {
    const line = `${what}: ${v.impact ?? 'unknown'} ${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`;
    console.info(`[axe] ${line}`);
    return v.impact === 'serious' || v.impact === 'critical' ? line : '';
  }).filter((line) => line !== '');
}

test('label and prediction overlays differ; a class is added, named, recoloured, painted and restored after a reload', async ({ page }) => {
  test.setTimeout(400_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  const studio = new StudioPage(page);
  await studio.open('wasm');
  await page.getByRole('button', { name: 'Load example' }).click();
  await expect(page.getByRole('status', { name: 'Data summary' })).toContainText('4 slices, 3 labelled');

  // A prediction without training: the EM starter on the EM-like example.
  const train = await studio.openStep('Train');
  await train.getByRole('combobox', { name: 'Start from' }).selectOption({ label: 'starter: EM membranes (ISBI 2012)' });
  await expect.poll(async () => (await studio.state()).model.description ?? '', { timeout: 60_000 }).toContain('EM membranes (ISBI 2012) starter');
  await studio.predictSlice();

  // The prediction alone (opaque): its outline in the tint, nowhere the label colour.
  const label = await studio.openStep('Label');
  await expect(label.getByLabel('Overlay legend')).toContainText('Labels: filled in their class\'s colour.');
  await expect(label.getByLabel('Overlay legend')).toContainText('Prediction: outlined in a paler tint of it');
  await label.getByRole('checkbox', { name: 'Labels' }).uncheck();
  await label.getByRole('slider', { name: 'Prediction opacity' }).fill('1');
  await expect.poll(() => pixelsNear(page, FOREGROUND_TINT)).toBeGreaterThan(200);
  expect(await pixelsNear(page, FOREGROUND)).toBe(0);
  await page.screenshot({ path: `${SCREENSHOTS}/prediction-outline-1280x800.png` });
  // The labels alone (opaque): their fill in the class colour.
  await label.getByRole('checkbox', { name: 'Labels' }).check();
  await label.getByRole('checkbox', { name: 'Prediction' }).uncheck();
  await label.getByRole('slider', { name: 'Label opacity' }).fill('1');
  await expect.poll(() => pixelsNear(page, FOREGROUND)).toBeGreaterThan(200);
  await label.getByRole('checkbox', { name: 'Prediction' }).check();
  await label.getByRole('slider', { name: 'Label opacity' }).fill('0.5');
  await label.getByRole('slider', { name: 'Prediction opacity' }).fill('0.8');

  // Add a class: the model knows two, so the next run starts fresh, and the studio says so.
  await label.getByRole('button', { name: 'Add class' }).click();
  await expect(label.getByRole('status')).toContainText('Class 2 (\u2068class 2\u2069) added. The current model predicts 2 classes, so the next training run starts from fresh weights');
  await expect(label.getByRole('status')).toBeInViewport({ ratio: 0.95 }); // scrolled into the panel's view, not below its fold
  const classes = page.getByRole('radiogroup', { name: 'Class' });
  await expect(classes.getByRole('radio')).toHaveCount(4); // background, foreground, class 2, unlabelled
  await expect(classes.getByRole('radio', { name: 'class 2' })).toBeChecked();

  // Name it (a blank name is refused and the old one comes back), colour it.
  const name = label.getByRole('textbox', { name: 'Name of class 2' });
  await name.fill('');
  await expect(label.getByText('A class needs a name.')).toBeVisible();
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await name.fill('mitochondria');
  await expect(label.getByText('A class needs a name.')).toHaveCount(0);
  await expect(label.getByRole('status').filter({ hasText: 'added' })).toContainText('Class 2 (\u2068mitochondria\u2069) added.'); // the note follows the rename
  await label.getByLabel('Colour of class 2').fill('#00ff88');
  const radio = classes.getByRole('radio', { name: 'mitochondria' });
  await expect(radio.locator('.swatch')).toHaveCSS('background-color', 'rgb(0, 255, 136)');

  // Paint it with its number key (2), opaque: the canvas shows the chosen colour.
  await page.getByRole('radio', { name: 'Pan and zoom' }).click();
  await studio.canvas.focus();
  await page.keyboard.press('2');
  await expect(radio).toBeChecked();
  await expect(page.getByRole('radio', { name: 'Brush' })).toBeChecked();
  await studio.drag([0.3, 0.5], [0.7, 0.5]);
  const id = (await studio.state()).data.currentSliceId!;
  await expect.poll(async () => (await studio.classCounts(id))['2'] ?? 0).toBeGreaterThan(20);
  await label.getByRole('slider', { name: 'Label opacity' }).fill('1');
  await expect.poll(() => pixelsNear(page, [0, 255, 136])).toBeGreaterThan(50);
  await studio.canvas.focus();
  await page.keyboard.press('1');
  await expect(classes.getByRole('radio', { name: 'foreground' })).toBeChecked();
  await label.getByRole('slider', { name: 'Label opacity' }).fill('0.5');

  for (const size of [{ width: 1280, height: 800 }, { width: 1920, height: 1080 }]) {
    await page.setViewportSize(size);
    await page.screenshot({ path: `${SCREENSHOTS}/classes-${size.width}x${size.height}.png` });
  }
  await page.setViewportSize({ width: 1280, height: 800 });

  // axe with the class editor open, dark (a blank name's message on show) and light.
  const findings: string[] = [];
  await name.fill(' ');
  findings.push(...await seriousAxeFindings(page, 'dark, class editor'));
  await page.getByRole('button', { name: 'Light theme' }).click();
  findings.push(...await seriousAxeFindings(page, 'light, class editor'));
  await page.screenshot({ path: `${SCREENSHOTS}/classes-light-1280x800.png` });
  await name.blur();
  await expect(name).toHaveValue('mitochondria');
  expect(findings).toEqual([]);

  // Names and colours are saved with the project: a reload brings them back.
  const autosave = page.getByRole('status', { name: 'Autosave' });
  await expect(autosave).toHaveAttribute('data-persistence', 'saved', { timeout: 30_000 });
  await page.reload();
  await expect(autosave).not.toHaveAttribute('data-persistence', 'restoring', { timeout: 60_000 });
  await expect(page.getByRole('status', { name: 'Data summary' })).toContainText('4 slices');
  const restored = await studio.openStep('Label');
  await expect(restored.getByRole('textbox', { name: 'Name of class 2' })).toHaveValue('mitochondria');
  await expect(restored.getByLabel('Colour of class 2')).toHaveValue('#00ff88');
  await expect(page.getByRole('radiogroup', { name: 'Class' }).getByRole('radio', { name: 'mitochondria' }).locator('.swatch')).toHaveCSS('background-color', 'rgb(0, 255, 136)');
  expect(await studio.classCounts(id)).toMatchObject({ 2: expect.any(Number) });
});
