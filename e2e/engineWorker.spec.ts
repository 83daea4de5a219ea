/**
 * The engine worker on WebGPU (SwiftShader here), driven through its protocol from the page:
 * training with a falling loss, tiled prediction streamed tile by tile on an image that is not a
 * tile multiple, export -> import -> identical predictions, and a main thread that the engine's
 * work never blocks meanwhile (long-task observer: no task over 150 ms; see the assertion).
 */
import { expect, test } from './fixtures';
import { EnginePage } from './pages/EnginePage';

test('trains, streams a tiled prediction and round-trips the model in the worker, main thread free', async ({ page }) => {
  await page.addInitScript(() => {
    const longTasks: number[] = [];
    (window as unknown as { __longTasks: number[] }).__longTasks = longTasks;
    new PerformanceObserver((list) => { for (const entry of list.getEntries()) longTasks.push(entry.duration); }).observe({ type: 'longtask', buffered: true });
  });
  const enginePage = new EnginePage(page);
  await enginePage.open('webgpu');
  await expect(enginePage.backendBadge).toHaveAttribute('data-backend', 'webgpu', { timeout: 60_000 });
  await page.evaluate(() => { (window as unknown as { __longTasks: number[] }).__longTasks.length = 0; });

  const result = await page.evaluate(async () => {
    type Event = { type: string; runId: string; [key: string]: unknown };
    const engine = (window as unknown as { __studio: { engine: { send(body: object): string; subscribe(l: (e: Event) => void): () => void } } }).__studio.engine;
    const events: Event[] = [];
    engine.subscribe((e) => events.push(e));
    const waitFor = (runId: string, type: string) => new Promise<Event>((resolve, reject) => {
      const check = () => {
        const error = events.find((e) => e.runId === runId && e.type === 'error');
        if (error) return reject(new Error(JSON.stringify(error)));
        const hit = events.find((e) => e.runId === runId && e.type === type);
        if (hit) return resolve(hit);
        setTimeout(check, 50);
      };
      check();
    });
    // Synthetic 16-bit images: bright discs on a noisy background, labelled on every 3rd row (strokes).
    const makeSlice = (id: string, size: number, seed: number, labelled: boolean) => {
      let s = seed;
      const random = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296);
      const discs = Array.from({ length: 5 }, () => ({ x: random() * size, y: random() * size, r: size * (0.08 + 0.1 * random()) }));
      const pixels = new Uint16Array(size * size);
      const classes = new Int32Array(size * size);
      for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
        const inside = discs.some((d) => (x - d.x) ** 2 + (y - d.y) ** 2 <= d.r ** 2);
        pixels[y * size + x] = (inside ? 3000 : 1000) + Math.floor(random() * 400);
        classes[y * size + x] = y % 3 === 0 ? (inside ? 1 : 0) : -1;
      }
      return { id, width: size, height: size, channels: 1, dtype: 'uint16', pixels, classes: labelled ? classes : null, instances: null };
    };
    for (const slice of [makeSlice('a', 64, 1, true), makeSlice('b', 64, 2, true), makeSlice('c', 53, 3, false)]) {
      await waitFor(engine.send({ type: 'dataset/put', slice }), 'dataset/updated');
    }
    const unet = { architecture: 'unet', depth: 2, baseChannels: 4, padding: 'valid', inputChannels: 1, numClasses: 2, dropoutRate: 0, batchNorm: false, tileSizePx: 60 }; // valid: 60 -> 20
    const settings = {
      preset: 'custom', unet, optimizer: { kind: 'adam', learningRate: 0.01 }, steps: 12, batchSize: 1,
      // Kept small and steady for a software GPU: flips only, class balance without the border term.
      augmentation: { flips: true, quarterTurns: true, maxRotationDeg: 0, elastic: null, maxBrightnessShift: 0, maxContrastChange: 0, maxGammaChange: 0 },
      targets: { w0: 0, sigmaPx: 5, classBalance: true, separateTouching: true, connectivity: 4 },
      validationFraction: 0.5, validateEverySteps: 6, seed: 1,
    };
    const trainRun = engine.send({ type: 'train/start', settings, freshWeights: true });
    const trainStart = performance.now();
    await waitFor(trainRun, 'train/done');
    const trainSeconds = (performance.now() - trainStart) / 1000;
    const losses = events.filter((e) => e.runId === trainRun && e.type === 'train/progress').map((e) => e.loss as number);
    const validation = events.filter((e) => e.runId === trainRun && e.type === 'train/validation').map((e) => e.loss as number);

    const predict = async () => {
      const run = engine.send({ type: 'predict/start', sliceIds: ['c'], testTimeAugmentation: false });
      const done = await waitFor(run, 'predict/slice-done');
      await waitFor(run, 'predict/done');
      return { tiles: events.filter((e) => e.runId === run && e.type === 'predict/tile').length, probabilities: Array.from(done.quantised as Uint16Array, (q) => q / 65535), width: done.width, tilePx: done.tilePx };
    };
    const before = await predict();
    const exported = await waitFor(engine.send({ type: 'model/export', classNames: ['background', 'disc'] }), 'model/exported');
    const files = exported.files as { modelJson: string; weights: ArrayBuffer };
    await waitFor(engine.send({ type: 'model/import', modelJson: files.modelJson, weights: [files.weights] }), 'model/imported');
    const after = await predict();
    let maxDiff = 0;
    for (let i = 0; i < before.probabilities.length; i++) maxDiff = Math.max(maxDiff, Math.abs(before.probabilities[i]! - after.probabilities[i]!));
    return { losses, validation, trainSeconds, tiles: before.tiles, width: before.width, tilePx: before.tilePx, values: before.probabilities.length, maxDiff, weightBytes: files.weights.byteLength };
  });
  const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
  console.info(`[e2e] worker on webgpu: losses ${result.losses.map((l) => l.toFixed(3)).join(' ')}; validation ${result.validation.map((l) => l.toFixed(3)).join(' ')}; ` +
    `${result.trainSeconds.toFixed(1)} s for 12 steps; prediction of 53x53 in ${result.tiles} tile(s) of ${result.tilePx} px; export/import max |diff| ${result.maxDiff}; ` +
    `long tasks: ${longTasks.length ? longTasks.map((d) => d.toFixed(0)).join(', ') + ' ms' : 'none'}`);
  await test.info().attach('engine-worker', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });

  expect(result.losses).toHaveLength(12);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  expect(mean(result.losses.slice(-4))).toBeLessThan(mean(result.losses.slice(0, 4)));
  expect(result.validation.length).toBe(2);
  expect(result.tiles).toBeGreaterThanOrEqual(1);
  expect(result.width).toBe(53);
  expect(result.values).toBe(53 * 53); // class 1 of two, 16-bit: class 0 is 1 minus it
  expect(result.maxDiff).toBe(0);
  // The engine's work comes in steps and tiles of seconds here (22-45 s for 12 steps on SwiftShader): any of
  // it on the main thread would be a task of seconds. Tasks of 50-60 ms are the page's own (a render or a
  // GC on a loaded 2-core runner; seen in CI, where a 50 ms bound failed on a slow day), so the bound is 150.
  expect(longTasks.filter((d) => d > 150)).toEqual([]);
});
