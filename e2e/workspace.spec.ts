/**
 * The workspace (issue 13): the canvas fills the window and never scrolls away, at laptop and desktop
 * sizes; the workflow steps open one at a time by buttons named as their regions; the status bar
 * reads the pixel under the cursor; "?" opens the shortcut sheet; , . PageUp PageDown step through
 * slices; the training curve stays in view while painting; a stack prediction names slice k of N
 * (item 4); and axe-core finds no serious or critical violation with any step open (the class editor
 * with an added class among them), in either theme.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page, TestInfo } from '@playwright/test';
import { expect, test } from './fixtures';
import type { StepTitle } from './pages/StudioPage';
import { StudioPage } from './pages/StudioPage';

const STEPS: readonly StepTitle[] = ['Data', 'Label', 'Previews', 'Train', 'Predict', 'Model and exports'];
const SIZES = [{ width: 1280, height: 800 }, { width: 1920, height: 1080 }] as const;

async function shoot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

for (const size of SIZES) {
  test(`${size.width}x${size.height}: the canvas fills the window, steps open one at a time, the status bar reads pixels, keys move slices`, async ({ page }, testInfo) => {
    await page.setViewportSize(size);
    const studio = new StudioPage(page);
    await studio.open('wasm');
    await page.getByRole('button', { name: 'Load example' }).click();
    await expect(page.getByRole('status', { name: 'Data summary' })).toContainText('4 slices, 3 labelled');
    const canvas = studio.canvas;
    await expect(canvas).toHaveAttribute('data-slice', 'example-0');

    // No page scrolling, and the canvas is in view and takes about half the window or more.
    const scroll = await page.evaluate(() => ({ height: document.scrollingElement!.scrollHeight, width: document.scrollingElement!.scrollWidth }));
    expect(scroll.height).toBeLessThanOrEqual(size.height);
    expect(scroll.width).toBeLessThanOrEqual(size.width);
    const box = (await canvas.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(size.height);
    expect(box.x + box.width).toBeLessThanOrEqual(size.width);
    const share = (box.width * box.height) / (size.width * size.height);
    console.info(`[e2e] ${size.width}x${size.height}: canvas ${Math.round(box.width)}x${Math.round(box.height)} at (${Math.round(box.x)}, ${Math.round(box.y)}), ${(100 * share).toFixed(0)} % of the window`);
    expect(share).toBeGreaterThan(0.48);

    // Every step opens by its button; exactly one is open, the others' regions are hidden.
    for (const step of STEPS) {
      await studio.stepButton(step).click();
      for (const other of STEPS) {
        await expect(studio.stepButton(other)).toHaveAttribute('aria-expanded', String(other === step));
        if (other === step) await expect(studio.panel(other)).toBeVisible();
        else await expect(studio.panel(other)).toHaveCount(0);
      }
      // The hidden file inputs behind "Choose files", "Choose folder" and "Import model" are not extra buttons for a screen reader.
      for (const hidden of ['Image and label files', 'Folder of images and labels', 'Model files']) await expect(page.getByRole('button', { name: hidden })).toHaveCount(0);
      // Opening a step never scrolls the page or moves the canvas.
      expect(await page.evaluate(() => document.scrollingElement!.scrollHeight)).toBeLessThanOrEqual(size.height);
      expect((await canvas.boundingBox())!.y).toBe(box.y);
    }

    // The status bar: the image pixel under the cursor (the example is 256 px, fitted to the canvas).
    await studio.openStep('Label');
    const cursor = page.getByRole('status', { name: 'Under the cursor' });
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect(cursor).toHaveAttribute('data-x', /^12[78]$/);
    await expect(cursor).toHaveAttribute('data-y', /^12[78]$/);
    await expect(cursor).toContainText(/x 12[78], y 12[78] · value \d+ · label (background|foreground|unlabelled) · prediction —/);
    await expect(page.locator('.status-bar')).toContainText(/Zoom \d+ %/);
    await expect(page.locator('.status-bar')).toContainText('WebAssembly');
    await expect(page.getByRole('status', { name: 'Autosave' })).toBeVisible();
    await shoot(page, testInfo, `workspace-${size.width}x${size.height}`);
    await page.mouse.move(2, size.height / 2); // off the canvas
    await expect(cursor).toHaveAttribute('data-x', '');

    // "?" opens the shortcut sheet, Escape closes it.
    await canvas.focus();
    await page.keyboard.press('?');
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(sheet).toBeVisible();
    await expect(sheet).toContainText('previous / next slice');
    await shoot(page, testInfo, `shortcuts-${size.width}x${size.height}`);
    // A slice key pressed right after Escape lands: the dialog's close event comes a task later, and
    // the sheet counted as open (dropping slice keys) until then. The likeliest way a CI run lost a ".".
    await page.keyboard.press('Escape');
    await page.keyboard.press('.');
    await expect(sheet).toBeHidden();

    // Slice keys: . and PageDown forward, , and PageUp back; the strip follows.
    await expect(canvas).toHaveAttribute('data-slice', 'example-1');
    await page.keyboard.press('PageDown');
    await expect(canvas).toHaveAttribute('data-slice', 'example-2');
    await expect(page.getByRole('status', { name: 'Data summary' })).toContainText('Showing example slice 3');
    await page.keyboard.press(',');
    await expect(canvas).toHaveAttribute('data-slice', 'example-1');
    await page.keyboard.press('PageUp');
    await page.keyboard.press('PageUp'); // stays on the first slice
    await expect(canvas).toHaveAttribute('data-slice', 'example-0');
  });
}

test('the curve stays in view while painting; a stack prediction says slice k of N (item 4); axe finds nothing serious on any step', async ({ page }, testInfo) => {
  test.setTimeout(600_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  const studio = new StudioPage(page);
  await studio.open('wasm');
  await page.getByRole('button', { name: 'Load example' }).click();
  await expect(page.getByRole('status', { name: 'Data summary' })).toContainText('4 slices, 3 labelled');

  // Train a few steps, then go back to painting: the compact curve stays below the steps.
  await studio.trainTiny(3);
  await studio.openStep('Label');
  const curve = page.getByRole('img', { name: 'Training curve' });
  await expect(curve).toBeVisible();
  await expect(curve).toHaveAttribute('data-points', '3');
  await page.getByRole('radio', { name: 'Brush' }).click();
  await studio.drag([0.3, 0.3], [0.4, 0.35]);
  await expect(curve).toBeVisible();
  await shoot(page, testInfo, 'painting-with-curve-1280x800');

  // Item 4: predicting the stack names the slice and its tiles, and the bar runs over the whole stack.
  const predict = await studio.openStep('Predict');
  const status = predict.getByRole('status', { name: 'Prediction status' });
  await status.evaluate((element) => {
    const seen: string[] = [];
    (window as unknown as { __predictionTexts: string[] }).__predictionTexts = seen;
    new MutationObserver(() => seen.push(element.textContent ?? '')).observe(element, { childList: true, characterData: true, subtree: true });
  });
  await predict.getByRole('button', { name: 'Predict all slices' }).click();
  await expect(status).toHaveAttribute('data-status', 'done', { timeout: 300_000 });
  await expect(status).toHaveText('done: 4 slice(s) predicted');
  const texts = await page.evaluate(() => (window as unknown as { __predictionTexts: string[] }).__predictionTexts);
  console.info(`[e2e] prediction progress lines: ${[...new Set(texts)].join(' | ')}`);
  expect(texts.some((t) => /^slice [1-4] of 4, (tile \d+ of \d+|first tile…)$/.test(t))).toBe(true);
  expect(texts.some((t) => /^slice 4 of 4/.test(t))).toBe(true);
  await expect(predict.getByRole('progressbar', { name: 'Prediction progress' })).toHaveAttribute('max', '4');

  // The class editor with a third class and its note (item 8) is part of the Label step axe scans.
  const label = await studio.openStep('Label');
  await label.getByRole('button', { name: 'Add class' }).click();
  await expect(label.getByRole('status')).toContainText('the next training run starts from fresh weights');
  await expect(label.getByRole('textbox', { name: 'Name of class 2' })).toHaveValue('class 2');

  // axe-core over the whole page with each step open, in the dark theme and the light one.
  const findings: string[] = [];
  const scan = async (what: string) => {
    const result = await new AxeBuilder({ page }).analyze();
    for (const v of result.violations) {
      const line = `${what}: ${v.impact ?? 'unknown'} ${v.id} (${v.nodes.length}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`;
      console.info(`[axe] ${line}`);
      if (v.impact === 'serious' || v.impact === 'critical') findings.push(line);
    }
  };
  for (const theme of ['dark', 'light'] as const) {
    if (theme === 'light') await page.getByRole('button', { name: 'Light theme' }).click();
    for (const step of STEPS) {
      await studio.openStep(step);
      await scan(`${theme}, ${step} open`);
    }
    await page.keyboard.press('?');
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
    await scan(`${theme}, shortcut sheet`);
    await page.keyboard.press('Escape');
  }
  await shoot(page, testInfo, 'light-theme-1280x800');
  expect(findings).toEqual([]);
});
