/**
 * Never lose a stroke: a brush stroke followed 0, 100 or 300 ms after mouse-up by a reload, a tab
 * close, a navigation away or a renderer crash is all there after the studio opens again, and the
 * autosave status said "Saving" until it was on disk. The lost-pixel table is attached to the report.
 */
import type { BrowserContext, Page, TestInfo } from '@playwright/test';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePng } from '../src/core/io/encodePng';
import { expect, recordForeignRequests, test } from './fixtures';
import { StudioPage } from './pages/StudioPage';

const SIZE = 384;
const DELAYS_MS = [0, 100, 300] as const;
const ACTIONS = ['reload', 'close', 'navigate', 'crash'] as const;
type Action = (typeof ACTIONS)[number];

const VIEWPORT = { width: 1440, height: 900 };
test.use({ viewport: VIEWPORT });

/** A plain grey image with no labels: every labelled pixel after the stroke is the stroke's. */
function blankImage(path: string): void {
  writeFileSync(path, encodePng({ width: SIZE, height: SIZE, slices: 1, channels: 1, dtype: 'uint8', data: new Uint8Array(SIZE * SIZE).fill(90) }));
}

/** Labelled pixels of the current slice and an FNV-1a hash of its class map (equal hashes: the same labels). */
function labelsOf(page: Page): Promise<{ labelled: number; hash: number; persistence: string }> {
  return page.evaluate(() => {
    const handle = (window as unknown as { __studio: { getState(): { data: { currentSliceId: string }; project: { persistence: string } }; slices: { get(id: string): { classes: Int32Array } } } }).__studio;
    const state = handle.getState();
    const classes = handle.slices.get(state.data.currentSliceId).classes;
    let labelled = 0;
    let hash = 2166136261;
    for (const k of classes) {
      if (k !== -1) labelled++;
      hash = Math.imul(hash ^ (k + 1), 16777619) >>> 0;
    }
    return { labelled, hash, persistence: state.project.persistence };
  });
}

async function openStudio(context: BrowserContext): Promise<{ page: Page; studio: StudioPage; autosave: ReturnType<Page['getByRole']> }> {
  const page = await context.newPage();
  page.on('dialog', (dialog) => void dialog.accept()); // "Leave site?": the user confirms leaving
  const studio = new StudioPage(page);
  await studio.open('wasm');
  const autosave = page.getByRole('status', { name: 'Autosave' });
  await expect(autosave).not.toHaveAttribute('data-persistence', 'restoring');
  return { page, studio, autosave };
}

/** Opens the studio on a fresh blank image, ready to paint foreground with a radius-8 brush. */
async function blankProject(context: BrowserContext, imagePath: string) {
  const opened = await openStudio(context);
  await opened.studio.dropFiles([imagePath]);
  await expect(opened.page.getByRole('status', { name: 'Data summary' })).toContainText('1 slice, 0 labelled');
  // The engine's start picks the CPU's preset, a settings save of its own: waited for, so the only save after this is the stroke's.
  await expect.poll(async () => (await opened.studio.state()).engineStatus).toBe('ready');
  await expect(opened.autosave).toHaveAttribute('data-persistence', 'saved');
  await opened.page.getByRole('radio', { name: 'Brush' }).click();
  await opened.page.getByRole('radio', { name: /foreground/ }).click();
  await opened.page.getByRole('slider', { name: 'Brush radius' }).fill('8');
  return opened;
}

/** The stroke every case paints: the same path, so the same pixels. */
const stroke = (studio: StudioPage) => studio.drag([0.2, 0.3], [0.8, 0.7]);

/** Leaves the page as `action` does, then shows the studio again: the same tab after a reload, a new one otherwise. */
async function leaveAndReturn(page: Page, context: BrowserContext, action: Action): Promise<Page> {
  switch (action) {
    case 'reload':
      await page.reload();
      await expect(page.getByRole('status', { name: 'Autosave' })).not.toHaveAttribute('data-persistence', 'restoring');
      return page;
    case 'close':
      await page.close({ runBeforeUnload: true }); // as a user closing the tab: unload handlers run
      await expect.poll(() => page.isClosed()).toBe(true);
      break;
    case 'navigate':
      await page.goto('about:blank');
      await page.close();
      break;
    case 'crash': {
      // chrome://crash kills the tab's renderer, no unload handler runs (CDP's Page.crash took the
      // whole headless browser down with it here).
      const crashed = new Promise<void>((resolve) => page.once('crash', () => resolve()));
      await page.goto('chrome://crash').catch(() => undefined);
      await crashed;
      await page.close();
      break;
    }
  }
  return (await openStudio(context)).page;
}

/** What the stroke paints, measured once per worker on a project left alone until it saved. */
let expected: { labelled: number; hash: number } | null = null;
interface Row { readonly action: Action; readonly delayMs: number; readonly lostPx: number }
/** Rows go to files: a failed test restarts the worker, and the table must still show every case. */
const rowsDir = (testInfo: TestInfo) => join(testInfo.project.outputDir, 'durability-lost-pixels');

test.beforeAll(async ({ browser, baseURL }, testInfo) => {
  const imagePath = testInfo.outputPath('blank.png');
  blankImage(imagePath);
  const context = await browser.newContext({ baseURL: baseURL as string, viewport: VIEWPORT });
  const foreign: string[] = [];
  recordForeignRequests(context, new URL(baseURL as string).origin, foreign);
  const { page, studio, autosave } = await blankProject(context, imagePath);
  await stroke(studio);
  await expect(autosave).toHaveAttribute('data-persistence', 'saved');
  await expect.poll(async () => (await labelsOf(page)).labelled).toBeGreaterThan(3000);
  const { labelled, hash } = await labelsOf(page);
  expected = { labelled, hash };
  await context.close();
  expect(foreign).toEqual([]);
});

/** Labelled pixels in the saved label tiles, read straight from IndexedDB (0 in a byte tile = unlabelled). */
function labelledOnDisk(page: Page): Promise<number> {
  return page.evaluate(() => new Promise<number>((resolve, reject) => {
    const open = indexedDB.open('unet-studio-project');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const request = open.result.transaction('labelTiles').objectStore('labelTiles').getAll();
      request.onsuccess = () => {
        let n = 0;
        // A stored tile (sliceChunks.ts): runs ((class + 1) << 24 | length), class + 1 a byte, or the raw Int32 classes.
        for (const tile of request.result as (Uint8Array | Int32Array | Uint32Array)[]) {
          if (tile instanceof Uint32Array) for (const run of tile) n += run >>> 24 !== 0 ? run & 0xffffff : 0;
          else for (const v of tile) if (tile instanceof Uint8Array ? v !== 0 : v !== -1) n++;
        }
        open.result.close();
        resolve(n);
      };
    };
  }));
}

test('the status says "Saving" from mouse-up until the stroke is on disk, and only then "Saved"', async ({ freshContext }, testInfo) => {
  const imagePath = testInfo.outputPath('blank.png');
  blankImage(imagePath);
  const { page, studio, autosave } = await blankProject(await freshContext(), imagePath);
  // Record every status change, and what the database holds the moment it first says saved again.
  await page.evaluate(() => {
    const target = document.querySelector('[aria-label="Autosave"]') as HTMLElement;
    const log: string[] = [];
    (window as unknown as { statusLog: string[] }).statusLog = log;
    new MutationObserver(() => log.push(target.dataset.persistence ?? '')).observe(target, { attributes: true, attributeFilter: ['data-persistence'] });
  });
  await stroke(studio);
  await expect(autosave).toHaveAttribute('data-persistence', 'saved');
  expect(await page.evaluate(() => (window as unknown as { statusLog: string[] }).statusLog)).toEqual(['saving', 'saved']);
  expect(await labelledOnDisk(page)).toBe(expected?.labelled);
});

for (const action of ACTIONS) {
  for (const delayMs of DELAYS_MS) {
    test(`a stroke ${delayMs} ms before a ${action} is all there afterwards`, async ({ freshContext }, testInfo) => {
      expect(expected, 'the first test measures the stroke').not.toBeNull();
      const imagePath = testInfo.outputPath('blank.png');
      blankImage(imagePath);
      const context = await freshContext();
      const { page, studio } = await blankProject(context, imagePath);
      await stroke(studio);
      if (delayMs > 0) await page.waitForTimeout(delayMs);
      const again = await leaveAndReturn(page, context, action);
      await expect(again.getByRole('status', { name: 'Data summary' })).toContainText('1 slice,');
      const restored = await labelsOf(again);
      const row: Row = { action, delayMs, lostPx: (expected?.labelled ?? 0) - restored.labelled };
      mkdirSync(rowsDir(testInfo), { recursive: true });
      writeFileSync(join(rowsDir(testInfo), `${action}-${delayMs}.json`), JSON.stringify(row));
      expect(restored).toEqual({ ...expected, persistence: 'saved' });
    });
  }
}

test.afterAll(async ({ browserName: _browser }, testInfo) => {
  if (!existsSync(rowsDir(testInfo))) return;
  const table = readdirSync(rowsDir(testInfo)).map((file) => JSON.parse(readFileSync(join(rowsDir(testInfo), file), 'utf8')) as Row);
  const rows = ACTIONS.map((action) => `| ${action} | ${DELAYS_MS.map((d) => table.find((r) => r.action === action && r.delayMs === d)?.lostPx ?? 'not run').join(' | ')} |`);
  const markdown = [`Pixels lost of a ${expected?.labelled ?? '?'} px stroke`, '', `| action | ${DELAYS_MS.map((d) => `${d} ms`).join(' | ')} |`, `| --- |${DELAYS_MS.map(() => ' --- |').join('')}`, ...rows].join('\n');
  console.log(markdown);
  await testInfo.attach('lost-pixels.md', { body: markdown, contentType: 'text/markdown' });
});
