/**
 * `npm run bench:paint-while-training [-- --seconds 30 --configs default:auto,...]`: paints while the
 * engine trains, per browser set-up and backend (issue 11, item 11: "painting must stay fluid while
 * training on any backend"). Each row opens the built studio in headless Chromium, loads the example,
 * starts a run, waits for its first step, then paints short strokes for the given seconds and records
 * the page's long main-thread tasks (PerformanceObserver "longtask", over 50 ms) and the input latency
 * (one pointer event's round trip: Playwright's mouse calls return once the page has handled them).
 * Writes bench/results/paint-while-training.{json,md}. Not part of `npm test`: minutes of training.
 *
 * Set-ups: `default` is Chromium as installed (no flags but --no-sandbox: WebGL on SwiftShader in the
 * GPU process, no WebGPU here), `swiftshader` the e2e flags (WebGPU on SwiftShader as well).
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, serveBuiltStudio } from '../browser/studioPage';
import { machine } from '../machine';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => { const at = args.indexOf(`--${name}`); return at >= 0 ? (args[at + 1] ?? fallback) : fallback; };
const SECONDS = Number(option('seconds', '30'));
const CONFIGS = option('configs', 'default:auto,default:webgl,default:wasm,swiftshader:webgpu,swiftshader:wasm').split(',');
/** SwiftShader's WebGPU takes minutes for a fast-preset step; the tiny preset keeps the row to seconds. */
const presetFor = (backend: string) => (backend === 'webgpu' ? 'tiny' : 'fast');

const LONG_TASKS = `(() => { window.__longTasks = []; try { new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longTasks.push(Math.round(e.duration)); }).observe({ type: 'longtask', buffered: true }); } catch {} })();`;

interface Row {
  readonly config: string;
  readonly backend: string;
  readonly preset: string;
  readonly strokes: number;
  readonly stepsWhilePainting: number;
  readonly latencyMedianMs: number;
  readonly latencyMaxMs: number;
  readonly longTasks: number;
  readonly longestTaskMs: number;
  readonly note: string;
}

async function measure(baseUrl: string, config: string): Promise<Row> {
  const [flags, backend] = config.split(':') as [string, string];
  const preset = presetFor(backend);
  const executablePath = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  const browser = await chromium.launch({ ...(executablePath ? { executablePath } : {}), args: flags === 'swiftshader' ? CHROMIUM_ARGS : ['--no-sandbox'] });
  const empty = { config, backend, preset, strokes: 0, stepsWhilePainting: 0, latencyMedianMs: Number.NaN, latencyMaxMs: Number.NaN, longTasks: 0, longestTaskMs: Number.NaN };
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await page.addInitScript({ content: LONG_TASKS });
    await page.goto(`${baseUrl}?test-hooks${backend === 'auto' ? '' : `&backend=${backend}`}`);
    await page.waitForFunction(() => '__studio' in window, null, { timeout: 120_000 });
    await page.getByRole('button', { name: 'Load example' }).click();
    await page.waitForFunction(() => /4 slices/.test(document.querySelector('[aria-label="Data summary"]')?.textContent ?? ''), null, { timeout: 60_000 });
    await page.getByRole('complementary', { name: 'Workflow' }).getByRole('button', { name: 'Train', exact: true }).click();
    await page.getByRole('combobox', { name: 'Preset' }).selectOption(preset);
    await page.getByRole('spinbutton', { name: 'Steps' }).fill('2000');
    await page.getByRole('button', { name: 'Start training' }).click();
    const steps = () => page.evaluate(() => (window as unknown as { __studio: { getState(): { training: { losses: unknown[] } } } }).__studio.getState().training.losses.length);
    await page.waitForFunction(() => (window as unknown as { __studio: { getState(): { training: { losses: unknown[] } } } }).__studio.getState().training.losses.length >= 1, null, { timeout: 600_000 });
    const used = await page.evaluate(() => (window as unknown as { __studio: { getState(): { backend: { backend: string; adapter?: string; threads?: number } | null } } }).__studio.getState().backend);
    const stepsBefore = await steps();
    await page.evaluate(() => { (window as unknown as { __longTasks: number[] }).__longTasks = []; });
    await page.getByRole('radio', { name: 'Brush' }).click();
    const box = await page.getByRole('img', { name: 'Current slice with labels' }).boundingBox();
    if (!box) throw new Error('the canvas is not visible');
    const latencies: number[] = [];
    const started = Date.now();
    for (let k = 0; Date.now() - started < SECONDS * 1000; k++) {
      const y = box.y + box.height * (0.2 + 0.6 * ((k * 0.137) % 1));
      const moves: number[] = [];
      const timed = async (action: () => Promise<void>) => { const t0 = performance.now(); await action(); moves.push(performance.now() - t0); };
      await timed(() => page.mouse.move(box.x + box.width * 0.2, y));
      await timed(() => page.mouse.down());
      for (let s = 1; s <= 10; s++) await timed(() => page.mouse.move(box.x + box.width * (0.2 + 0.06 * s), y + s));
      await timed(() => page.mouse.up());
      latencies.push(...moves);
    }
    const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
    latencies.sort((a, b) => a - b);
    return {
      ...empty,
      backend: used?.backend ?? backend,
      strokes: Math.round(latencies.length / 12),
      stepsWhilePainting: (await steps()) - stepsBefore,
      latencyMedianMs: Math.round(latencies[Math.floor(latencies.length / 2)] ?? Number.NaN),
      latencyMaxMs: Math.round(latencies.at(-1) ?? Number.NaN),
      longTasks: longTasks.length,
      longestTaskMs: Math.max(0, ...longTasks),
      note: [used?.adapter, used?.threads ? `${used.threads} thread${used.threads === 1 ? '' : 's'}` : null].filter(Boolean).join(', '),
    };
  } catch (error) {
    return { ...empty, note: `FAILED: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const { server, baseUrl } = await serveBuiltStudio();
  const rows: Row[] = [];
  try {
    for (const config of CONFIGS) {
      const row = await measure(baseUrl, config);
      console.log(`  ${config}: ${JSON.stringify(row)}`);
      rows.push(row);
    }
  } finally {
    server.close();
  }
  const out = path.resolve(import.meta.dirname, '../results');
  const host = machine();
  writeFileSync(path.join(out, 'paint-while-training.json'), `${JSON.stringify({ date: new Date().toISOString(), machine: host, seconds: SECONDS, rows }, null, 2)}\n`);
  const lines = [
    '# Painting while the engine trains (`npm run bench:paint-while-training`)', '',
    `${new Date().toISOString().slice(0, 10)}, ${host.cpu}, ${host.cores} cores, ${host.memoryGiB} GiB, headless Chromium. Each row: the example loaded,`,
    `a run started (fast preset; tiny on WebGPU), then ${SECONDS} s of short brush strokes after its first step. A long task is the page's main`,
    'thread busy over 50 ms (PerformanceObserver "longtask"); input latency is one pointer event\'s round trip to the page.',
    'Set-ups: `default` = Chromium as installed (only --no-sandbox), `swiftshader` = the e2e flags (WebGPU on SwiftShader).', '',
    '| set-up:asked | backend used | preset | strokes | training steps meanwhile | input latency median / max (ms) | long tasks | longest (ms) | note |',
    '|---|---|---|---:|---:|---:|---:|---:|---|',
    ...rows.map((r) => `| ${r.config} | ${r.backend} | ${r.preset} | ${r.strokes} | ${r.stepsWhilePainting} | ${r.latencyMedianMs} / ${r.latencyMaxMs} | ${r.longTasks} | ${r.longestTaskMs} | ${r.note.replace(/\|/g, '\\|').slice(0, 120)} |`),
    '',
  ];
  writeFileSync(path.join(out, 'paint-while-training.md'), `${lines.join('\n')}\n`);
}

await main();
