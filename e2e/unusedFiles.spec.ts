/**
 * Files the import did not use (issue 13 item 10): a note beside the images is listed quietly, saying
 * why it was skipped, while a label file without its image stays red; operating-system litter (a
 * macOS "._" copy, Thumbs.db) is not listed at all. The hidden file inputs behind "Choose files",
 * "Choose folder" and "Import model" are no extra buttons for a screen reader; axe agrees.
 */
import AxeBuilder from '@axe-core/playwright';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { encodePng } from '../src/core/io/encodePng';
import { expect, test } from './fixtures';
import { StudioPage } from './pages/StudioPage';

test.use({ viewport: { width: 1280, height: 800 } });

test('a skipped note is listed neutrally with its reason, a real problem in red, system files not at all; no hidden input is a button', async ({ page }, testInfo) => {
  const size = 32;
  const png = (value: number) => encodePng({ width: size, height: size, slices: 1, channels: 1, dtype: 'uint8', data: new Uint8Array(size * size).fill(value) });
  const files = {
    'cells.png': png(90),
    'orphan_mask.png': png(1), // labels for an image that was not chosen
    'README.txt': new TextEncoder().encode('Acquired on the confocal, 2026-11-30.'),
    '._cells.png': new Uint8Array([0, 5, 22, 7]), // macOS AppleDouble: not a PNG at all
    'Thumbs.db': new Uint8Array([1, 2, 3]),
  };
  const paths = Object.entries(files).map(([name, bytes]) => {
    const path = testInfo.outputPath(name);
    writeFileSync(path, bytes);
    return path;
  });

  const studio = new StudioPage(page);
  await studio.open('wasm');
  const data = await studio.openStep('Data');
  const zone = data.getByRole('region', { name: 'Drop images and labels here' });
  // Only the two visible buttons: the hidden inputs they open are not announced as buttons too.
  await expect(zone.getByRole('button')).toHaveText(['Choose files', 'Choose folder']);
  const chooser = page.waitForEvent('filechooser');
  await zone.getByRole('button', { name: 'Choose files' }).click();
  await (await chooser).setFiles(paths);
  await expect(page.getByRole('status', { name: 'Data summary' })).toContainText('1 slice, 0 labelled');

  const unused = zone.getByRole('list', { name: 'Files not used' });
  await expect(unused.getByRole('listitem')).toHaveCount(2); // not ._cells.png, not Thumbs.db
  const note = unused.getByRole('listitem').filter({ hasText: 'README.txt' });
  const orphan = unused.getByRole('listitem').filter({ hasText: 'orphan_mask.png' });
  await expect(note).toContainText('was not used: not a supported image (tif, tiff, png, jpg, jpeg)');
  await expect(orphan).toContainText('was not used as labels: no image with a matching name');
  // The colours the theme gives "muted" and "bad", read off the page itself.
  const themeColour = (name: string) => page.evaluate((variable) => {
    const probe = document.createElement('span');
    probe.style.color = `var(${variable})`;
    document.body.append(probe);
    const colour = getComputedStyle(probe).color;
    probe.remove();
    return colour;
  }, name);
  const [muted, bad] = [await themeColour('--muted'), await themeColour('--bad')];
  expect(muted).not.toBe(bad);
  await expect(note).toHaveCSS('color', muted);
  await expect(orphan).toHaveCSS('color', bad);

  // The Model step's hidden input is no button either; every button on the page has a visible name.
  await studio.openStep('Model and exports');
  for (const hidden of ['Image and label files', 'Folder of images and labels', 'Model files']) await expect(page.getByRole('button', { name: hidden })).toHaveCount(0);
  await studio.openStep('Data');
  const result = await new AxeBuilder({ page }).analyze();
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  for (const v of result.violations) console.info(`[axe] ${v.impact ?? 'unknown'} ${v.id} (${v.nodes.length})`);
  expect(serious).toEqual([]);
  await page.screenshot({ path: resolve(import.meta.dirname, '../docs/screenshots/unused-files-1280x800.png') });
});
