/**
 * `npm run bench:large-image [-- --size 20000 --formats png,tif]`: one very large 8-bit slice through
 * the built studio in headless Chromium, as a user meets it (issue 11, item 3). For each format it
 * times import (decode off the main thread, display), a brush stroke, the autosave, the first
 * prediction tiles (the EM starter model; a whole 20000 px slice would take the better part of an
 * hour on 2 cores), and a reload that restores the project; meanwhile it samples the memory of every
 * Chromium process (resident set, /proc) and records the page's long main-thread tasks.
 * Writes bench/results/large-image.{json,md}. Not part of `npm test`: it needs minutes and gigabytes.
 *
 * The image is an ISBI 2012 training slice (../shared/data) mirrored out to the size, so it
 * compresses like a real micrograph, not like a gradient.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { chromium } from '@playwright/test';
import { decodeImageFile } from '../../src/core/io/decodeImageFile';
import { encodePng } from '../../src/core/io/encodePng';
import { encodeTiff } from '../../src/core/io/encodeTiff';
import { mirrorIndex } from '../../src/core/sampling/mirrorIndex';
import { requireSharedData } from '../sharedData';
import { CHROMIUM_ARGS, serveBuiltStudio } from '../browser/studioPage';
import { machine } from '../machine';
import * as tf from '@tensorflow/tfjs';
import { buildUNet } from '../../src/core/model/buildUNet';
import { saveModelFiles } from '../../src/core/model/modelFiles';
import { DEFAULT_NORMALISATION } from '../../src/core/model/modelMetadata';
import { TINY_UNET } from '../../src/app/training/trainingPresets';
import { ChromiumMemory } from './chromiumMemory';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => { const at = args.indexOf(`--${name}`); return at >= 0 ? (args[at + 1] ?? fallback) : fallback; };
const SIZE = Number(option('size', '20000'));
const FORMATS = option('formats', 'png,tif').split(',') as ('png' | 'tif')[];
const PREDICT_TILES = Number(option('predict-tiles', '4'));
/** --whole: predict the whole slice with the tiny preset's network (random weights: the time and memory of every tile and of the end, not a result). */
const WHOLE = args.includes('--whole');
const WORK = `/tmp/unet-studio-large-${SIZE}`;

interface Phase { readonly name: string; readonly seconds: number; readonly peakGiB: number; readonly longestTaskMs: number; readonly note: string }

function sourceSlice(): { width: number; height: number; data: Uint8Array } {
  const dir = requireSharedData('isbi2012/tif');
  const file = readdirSync(dir).find((f) => /volume/.test(f) && f.endsWith('.tif'));
  if (!file) throw new Error(`No ISBI volume TIFF in ${dir}`);
  const stack = decodeImageFile(file, new Uint8Array(readFileSync(path.join(dir, file))));
  return { width: stack.width, height: stack.height, data: (stack.data as Uint8Array).subarray(0, stack.width * stack.height) };
}

/** The slice mirrored out to SIZE x SIZE, written once per format and kept in WORK. */
function largeImage(format: 'png' | 'tif'): string {
  const file = path.join(WORK, `large-${SIZE}.${format}`);
  if (existsSync(file)) return file;
  mkdirSync(WORK, { recursive: true });
  const source = sourceSlice();
  const data = new Uint8Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++) {
    const row = mirrorIndex(y, source.height) * source.width;
    for (let x = 0; x < SIZE; x++) data[y * SIZE + x] = source.data[row + mirrorIndex(x, source.width)] as number;
  }
  const stack = { width: SIZE, height: SIZE, slices: 1, channels: 1, dtype: 'uint8', data } as const;
  console.log(`  writing ${file} ...`);
  writeFileSync(file, format === 'png' ? encodePng(stack) : encodeTiff(stack, { compression: 'deflate' }));
  return file;
}

const LONG_TASKS = `(() => { window.__longTasks = []; try { new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longTasks.push(e.duration); }).observe({ type: 'longtask', buffered: true }); } catch {} })();`;

async function longestTaskSince(page: Page, from: number): Promise<number> {
  return page.evaluate((start) => Math.max(0, ...((window as unknown as { __longTasks: number[] }).__longTasks.slice(start))), from);
}

async function taskCount(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks.length);
}

/** Runs one step, timing it with the peak memory and the longest main-thread task meanwhile (on the page open at its end). */
async function phase(pageOf: () => Page, memory: ChromiumMemory, name: string, work: () => Promise<string>): Promise<Phase> {
  const startPage = pageOf();
  const from = await taskCount(startPage).catch(() => 0);
  memory.resetPeak();
  const started = performance.now();
  let note: string;
  try {
    note = await work();
  } catch (error) {
    note = `FAILED: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  }
  const seconds = (performance.now() - started) / 1000;
  const endPage = pageOf();
  const longestTaskMs = await longestTaskSince(endPage, endPage === startPage ? from : 0).catch(() => Number.NaN);
  const result = { name, seconds: Math.round(seconds * 10) / 10, peakGiB: Math.round(memory.peakGiB() * 100) / 100, longestTaskMs: Math.round(longestTaskMs), note };
  console.log(`  ${name}: ${result.seconds} s, peak ${result.peakGiB} GiB, longest task ${result.longestTaskMs} ms ${note}`);
  return result;
}

/** The tiny preset's network with its first random weights, as model files the Model step imports. */
async function tinyModelFiles(): Promise<{ name: string; mimeType: string; buffer: Buffer }[]> {
  await tf.setBackend('cpu');
  const model = buildUNet(TINY_UNET);
  const files = await saveModelFiles(model, {
    format: 'unet-studio/1', architecture: TINY_UNET, tile: { inputTilePx: TINY_UNET.tileSizePx, outputTilePx: TINY_UNET.tileSizePx, borderPx: 0 },
    normalisation: DEFAULT_NORMALISATION, classNames: ['background', 'foreground'],
    training: { steps: 0, preset: 'tiny (random weights, bench:large-image)', finalLoss: null, bestValidationLoss: null, backend: 'none', savedAt: new Date().toISOString() },
  }, 'model');
  model.dispose();
  return [
    { name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(files.modelJson) },
    { name: files.weightsFileName, mimeType: 'application/octet-stream', buffer: Buffer.from(new Uint8Array(files.weights)) },
  ];
}

async function runFormat(baseUrl: string, format: 'png' | 'tif'): Promise<Phase[]> {
  const file = largeImage(format);
  const executablePath = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  const browser = await chromium.launch({ ...(executablePath ? { executablePath } : {}), args: CHROMIUM_ARGS });
  const memory = new ChromiumMemory();
  memory.start();
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    let page = await context.newPage();
    const current = () => page;
    await page.addInitScript({ content: LONG_TASKS });
    await page.goto(`${baseUrl}?test-hooks&backend=wasm`);
    await page.waitForFunction(() => '__studio' in window, null, { timeout: 120_000 });
    const summary = page.getByRole('status', { name: 'Data summary' });
    const autosave = page.getByRole('status', { name: 'Autosave' });
    // A first visit reloads once (the service worker's cross-origin isolation): wait for the page after it, settled.
    await page.waitForFunction(() => window.crossOriginIsolated && document.querySelector('[aria-label="Autosave"]')?.getAttribute('data-persistence') !== 'restoring', null, { timeout: 120_000 });
    await page.getByRole('button', { name: 'Data', exact: true }).click();
    const phases: Phase[] = [];
    const baseline = memory.currentGiB();
    phases.push({ name: 'studio open', seconds: 0, peakGiB: Math.round(baseline * 100) / 100, longestTaskMs: 0, note: '' });

    phases.push(await phase(current, memory, 'import', async () => {
      await page.locator('input[aria-label="Image and label files"]').setInputFiles(file);
      await page.waitForFunction(() => {
        const text = document.querySelector('[aria-label="Data summary"]')?.textContent ?? '';
        return /\b1 slices?\b/.test(text) || document.querySelector('[role="alert"]') !== null;
      }, null, { timeout: 1_800_000, polling: 500 });
      const alerts = page.getByRole('alert');
      const alert = (await alerts.count()) > 0 ? await alerts.first().textContent() : null;
      return alert ? `alert: ${alert}` : (await summary.textContent()) ?? '';
    }));
    phases.push(await phase(current, memory, 'autosave after import', async () => {
      await page.waitForFunction(() => document.querySelector('[aria-label="Autosave"]')?.getAttribute('data-persistence') !== 'saving', null, { timeout: 1_800_000, polling: 500 });
      return (await autosave.getAttribute('data-persistence')) ?? '';
    }));
    phases.push(await phase(current, memory, 'brush stroke + autosave', async () => {
      await page.getByRole('radio', { name: 'Brush' }).click();
      await page.getByRole('radio', { name: /foreground/ }).click();
      const box = await page.getByRole('img', { name: 'Current slice with labels' }).boundingBox();
      if (!box) throw new Error('no canvas');
      await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.6, { steps: 20 });
      await page.mouse.up();
      await page.waitForFunction(() => document.querySelector('[aria-label="Autosave"]')?.getAttribute('data-persistence') === 'saving', null, { timeout: 10_000 }).catch(() => undefined);
      await page.waitForFunction(() => document.querySelector('[aria-label="Autosave"]')?.getAttribute('data-persistence') !== 'saving', null, { timeout: 1_800_000, polling: 500 });
      return (await autosave.getAttribute('data-persistence')) ?? '';
    }));
    if (WHOLE) phases.push(await phase(current, memory, 'prediction, whole slice (tiny net, random weights)', async () => {
      await page.getByRole('button', { name: 'Model and exports', exact: true }).click();
      await page.getByLabel('Model files').setInputFiles(await tinyModelFiles());
      await page.waitForFunction(() => (window as unknown as { __studio: { getState(): { model: { available: boolean } } } }).__studio.getState().model.available, null, { timeout: 300_000 });
      await page.getByRole('button', { name: 'Predict', exact: true }).click();
      const started = performance.now();
      await page.getByRole('button', { name: 'Predict this slice' }).click();
      await page.waitForFunction(() => /done|failed|error/i.test(document.querySelector('[aria-label="Prediction status"]')?.textContent ?? ''), null, { timeout: 3_600_000, polling: 1000 });
      const seconds = (performance.now() - started) / 1000;
      const text = (await page.getByRole('status', { name: 'Prediction status' }).textContent()) ?? '';
      // A failure's own words are in the page's error list.
      const errors = await page.evaluate(() => (window as unknown as { __studio: { getState(): { errors: { message: string }[] } } }).__studio.getState().errors.map((e) => e.message).join(' | '));
      const objects = await page.evaluate(() => Object.values((window as unknown as { __studio: { getState(): { prediction: { instanceCounts: Record<string, number> } } } }).__studio.getState().prediction.instanceCounts)[0] ?? null);
      await page.waitForFunction(() => document.querySelector('[aria-label="Autosave"]')?.getAttribute('data-persistence') !== 'saving', null, { timeout: 1_800_000, polling: 500 });
      // What the user sees at a laptop size: the predicted slice and the Predict step's notes.
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.screenshot({ path: path.join(WORK, `whole-${format}-1280x800.png`) });
      await page.setViewportSize({ width: 1440, height: 900 });
      return `${text}${objects !== null ? ` (${objects} objects)` : ''}${errors ? ` [errors: ${errors.slice(0, 300)}]` : ''} in ${seconds.toFixed(0)} s; then ${(await autosave.getAttribute('data-persistence')) ?? ''}`;
    }));
    else phases.push(await phase(current, memory, `prediction, first ${PREDICT_TILES} tiles`, async () => {
      await page.getByRole('button', { name: 'Train', exact: true }).click();
      await page.getByRole('combobox', { name: 'Start from' }).selectOption('em');
      await page.waitForFunction(() => (window as unknown as { __studio: { getState(): { model: { available: boolean } } } }).__studio.getState().model.available, null, { timeout: 300_000 });
      await page.getByRole('button', { name: 'Predict', exact: true }).click();
      await page.getByRole('button', { name: 'Predict this slice' }).click();
      const started = performance.now();
      await page.waitForFunction((tiles) => {
        const text = document.querySelector('[aria-label="Prediction status"]')?.textContent ?? '';
        const done = /tile (\d+) of/.exec(text);
        return (done !== null && Number(done[1]) >= tiles) || /done|failed/.test(text);
      }, PREDICT_TILES, { timeout: 1_800_000, polling: 500 });
      const seconds = (performance.now() - started) / 1000;
      const text = (await page.getByRole('status', { name: 'Prediction status' }).textContent()) ?? '';
      return `${PREDICT_TILES} tiles in ${seconds.toFixed(1)} s (${text})`;
    }));
    phases.push(await phase(current, memory, 'reload and restore', async () => {
      const next = await context.newPage(); // opened first: closing the last page would end the context
      await page.close({ runBeforeUnload: false });
      await next.addInitScript({ content: LONG_TASKS });
      page = next;
      await next.goto(`${baseUrl}?test-hooks&backend=wasm`);
      await next.waitForFunction(() => /\b1 slices?\b/.test(document.querySelector('[aria-label="Data summary"]')?.textContent ?? ''), null, { timeout: 1_800_000, polling: 500 });
      const summary = (await next.getByRole('status', { name: 'Data summary' }).textContent()) ?? '';
      if (!WHOLE) return summary;
      // The whole slice's prediction comes back too (strips read a task at a time after the slice).
      const restored = await next.waitForFunction(() => (window as unknown as { __studio?: { getState(): { prediction: { predictedSliceIds: string[] } } } }).__studio?.getState().prediction.predictedSliceIds.length === 1, null, { timeout: 1_800_000, polling: 500 })
        .then(() => 'the prediction restored', () => 'the prediction NOT restored');
      return `${summary}; ${restored}`;
    }));
    return phases;
  } finally {
    memory.stop();
    await browser.close();
  }
}

async function main(): Promise<void> {
  const { server, baseUrl } = await serveBuiltStudio();
  const results: Record<string, Phase[]> = {};
  try {
    for (const format of FORMATS) {
      console.log(`${SIZE}x${SIZE} ${format}:`);
      results[format] = await runFormat(baseUrl, format);
    }
  } finally {
    server.close();
  }
  const out = path.resolve(import.meta.dirname, '../results');
  const host = machine();
  writeFileSync(path.join(out, 'large-image.json'), `${JSON.stringify({ size: SIZE, date: new Date().toISOString(), machine: host, results }, null, 2)}\n`);
  const lines = [`# One ${SIZE}x${SIZE} 8-bit slice in the studio (\`npm run bench:large-image\`)`, '',
    `${new Date().toISOString().slice(0, 10)}, ${host.cpu}, ${host.cores} cores, ${host.memoryGiB} GiB. Headless Chromium, wasm engine; memory is the`,
    'resident set of every Chromium process together (peak within the phase); a long task is the page\'s main thread busy',
    'over 50 ms (PerformanceObserver "longtask"), the longest of the phase shown. The goal: none over 200 ms.', ''];
  for (const [format, phases] of Object.entries(results)) {
    lines.push(`## ${format.toUpperCase()}`, '', '| phase | time (s) | peak memory (GiB) | longest main-thread task (ms) | result |', '|---|---:|---:|---:|---|');
    for (const p of phases) lines.push(`| ${p.name} | ${p.seconds} | ${p.peakGiB} | ${p.longestTaskMs} | ${p.note.replace(/\|/g, '\\|').slice(0, 200)} |`);
    lines.push('');
  }
  writeFileSync(path.join(out, 'large-image.md'), `${lines.join('\n')}\n`);
}

await main();
