/**
 * A slice bigger than Chromium's per-value IndexedDB limit (~133 MB as one record: a 6000x6000 image
 * with its labels) saves and comes back; when the browser refuses it (a 5 MB storage quota), the
 * others are saved anyway, the status says which one failed, leaving asks first, a reload restores
 * the rest and names the missing one, and once there is room the next change stores it.
 */
import type { Page } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { encodePng } from '../src/core/io/encodePng';
import { expect, test } from './fixtures';
import { StudioPage } from './pages/StudioPage';

const BIG = 6000;
const SMALL = 64;

/** A grey image whose pixels differ along both axes (a mix-up of rows or chunks would show). */
function image(path: string, size: number): void {
  const data = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) data[y * size + x] = (x * 7 + y * 13 + ((x * y) >> 9)) & 255;
  writeFileSync(path, encodePng({ width: size, height: size, slices: 1, channels: 1, dtype: 'uint8', data }));
}

/** Per slice: its size and an FNV-1a hash of its pixels and labels, straight from the registry. */
function slicesOf(page: Page): Promise<{ name: string; width: number; pixels: number; labels: number }[]> {
  return page.evaluate(() => {
    const handle = (window as unknown as { __studio: { slices: { all(): { name: string; width: number; pixels: Uint8Array; classes: Int32Array }[] } } }).__studio;
    const hash = (values: ArrayLike<number>) => {
      let h = 2166136261;
      for (let i = 0; i < values.length; i++) h = Math.imul(h ^ ((values[i] as number) + 1), 16777619) >>> 0;
      return h;
    };
    return handle.slices.all().map((r) => ({ name: r.name, width: r.width, pixels: hash(r.pixels), labels: hash(r.classes) }));
  });
}

test.use({ viewport: { width: 1440, height: 900 } });

test('a 6000x6000 slice saves and restores; a refused one takes no other with it and is named', async ({ freshContext }, testInfo) => {
  test.setTimeout(600_000);
  const bigPath = testInfo.outputPath('big-6000.png');
  const smallPath = testInfo.outputPath('small-64.png');
  image(bigPath, BIG);
  image(smallPath, SMALL);
  const context = await freshContext();
  const page = await context.newPage();
  const studio = new StudioPage(page);
  await studio.open('wasm');
  const autosave = page.getByRole('status', { name: 'Autosave' });
  await expect(autosave).not.toHaveAttribute('data-persistence', 'restoring');

  // 1. 5 MB of room beyond what the origin already holds (the service worker's copy of the app counts, and grows with
  //    it): the small image fits, the 36 MB one (8 MB a transaction) does not. (IndexedDB compresses: this smooth image
  //    takes far less than 36 MB on disk, so a quota just under its size would let it in.)
  const cdp = await context.newCDPSession(page);
  const origin = new URL(page.url()).origin;
  const used = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: used + 5e6 });
  await studio.dropFiles([bigPath, smallPath]);
  await expect(page.getByRole('status', { name: 'Data summary' })).toContainText('2 slices', { timeout: 120_000 });
  await expect(autosave).toHaveAttribute('data-persistence', 'failed', { timeout: 120_000 });
  await expect(autosave).toContainText(/Autosave failed: the browser refused to store \u2068big-6000\.png\u2069 \(6000×6000 px, image and labels\), 72 MB \(storage full\)/);
  const loaded = await slicesOf(page);
  await testInfo.attach('refused', { body: await page.screenshot(), contentType: 'image/png' });

  // Leaving now would lose the big slice: the browser asks first ("Stay" keeps the page).
  const asked: string[] = [];
  page.once('dialog', (dialog) => { asked.push(dialog.type()); void dialog.dismiss(); });
  await page.getByRole('radio', { name: 'Brush' }).click(); // the page needs a user gesture before it may ask
  await page.close({ runBeforeUnload: true });
  await expect.poll(() => asked).toEqual(['beforeunload']);
  expect(page.isClosed()).toBe(false);

  // 2. A reload brings back the small slice and names the big one that never made it.
  page.once('dialog', (dialog) => void dialog.accept());
  await page.reload();
  await expect(autosave).not.toHaveAttribute('data-persistence', 'restoring');
  await expect(page.getByRole('status', { name: 'Data summary' })).toContainText('1 slice,');
  expect(await slicesOf(page)).toEqual(loaded.filter((s) => s.width === SMALL));
  await expect(page.getByRole('alert').filter({ hasText: 'Not restored' })).toContainText('Not restored: \u2068big-6000.png\u2069 (6000×6000 px) was never saved completely');

  // 3. With room again, both load, save and come back exactly.
  await cdp.send('Storage.overrideQuotaForOrigin', { origin }); // back to the browser's own quota
  await studio.dropFiles([bigPath, smallPath]);
  await expect(page.getByRole('status', { name: 'Data summary' })).toContainText('2 slices', { timeout: 120_000 });
  await expect(autosave).toHaveAttribute('data-persistence', 'saved', { timeout: 120_000 });
  await page.getByRole('radio', { name: 'Brush' }).click();
  await page.getByRole('radio', { name: /foreground/ }).click();
  await studio.drag([0.3, 0.3], [0.7, 0.6]); // on the big slice (the first)
  await expect(autosave).toHaveAttribute('data-persistence', 'saved', { timeout: 60_000 });
  const saved = await slicesOf(page);
  expect(saved.map((s) => s.width).sort((a, b) => a - b)).toEqual([SMALL, BIG]);
  await page.reload();
  await expect(autosave).toHaveAttribute('data-persistence', 'saved', { timeout: 120_000 });
  await expect(page.getByRole('status', { name: 'Data summary' })).toContainText('2 slices, 1 labelled');
  expect(await slicesOf(page)).toEqual(saved);
  await testInfo.attach('restored', { body: await page.screenshot(), contentType: 'image/png' });
});
