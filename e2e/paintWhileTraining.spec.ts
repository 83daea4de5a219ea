/**
 * Painting stays fluid while the engine trains (issue 11, item 11): strokes painted during a run land
 * in the labels at once, the run goes on, and no main-thread task meanwhile reaches the 200 ms the
 * issue allows. The figures per browser set-up and backend (input latency too) are in
 * `npm run bench:paint-while-training`; this spec keeps the behaviour on the e2e backend choice.
 */
import { expect, test } from './fixtures';
import { StudioPage } from './pages/StudioPage';

test.use({ viewport: { width: 1280, height: 800 } });

for (const backend of ['wasm', 'webgpu']) {
  test(`strokes painted while training on ${backend} land at once, and the page never stops answering`, async ({ page }) => {
    await page.addInitScript(() => {
      const longTasks: number[] = [];
      (window as unknown as { __longTasks: number[] }).__longTasks = longTasks;
      new PerformanceObserver((list) => { for (const entry of list.getEntries()) longTasks.push(entry.duration); }).observe({ type: 'longtask', buffered: true });
    });
    const studio = new StudioPage(page);
    await studio.open(backend);
    await page.getByRole('button', { name: 'Load example' }).click();
    await expect(page.getByRole('status', { name: 'Data summary' })).toContainText('4 slices, 3 labelled');
    const train = await studio.startTinyRun(500, 1);
    const sliceId = (await studio.state()).data.currentSliceId as string;
    const before = await studio.classCounts(sliceId);
    const stepsBefore = await studio.stepsDone();
    await page.evaluate(() => { (window as unknown as { __longTasks: number[] }).__longTasks.length = 0; });

    await studio.openStep('Label');
    await page.getByRole('radio', { name: 'Brush' }).click();
    await page.getByRole('radio', { name: /foreground/ }).click();
    for (let k = 0; k < 8; k++) await studio.drag([0.15, 0.1 + k * 0.1], [0.85, 0.12 + k * 0.1]);
    const after = await studio.classCounts(sliceId);
    expect((after['1'] ?? 0) - (before['1'] ?? 0), 'foreground pixels painted during the run').toBeGreaterThan(500);

    await expect.poll(() => studio.stepsDone(), { timeout: 120_000 }).toBeGreaterThan(stepsBefore);
    const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
    expect(Math.max(0, ...longTasks), `long tasks while painting: ${longTasks.map(Math.round).join(', ')} ms`).toBeLessThan(200);
    await studio.openStep('Train');
    await train.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(async () => (await studio.state()).training.status, { timeout: 60_000 }).not.toBe('running');
  });
}
