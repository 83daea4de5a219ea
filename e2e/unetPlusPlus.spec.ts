/**
 * UNet++ in the studio (issue 15): train a UNet++ with deep supervision (the fast preset, 4 steps), predict at two pruning
 * levels (level 1 is faster than level 4 and its overlay differs), see the measured time of each beside
 * the choice, export the pruned model and load it back: it predicts what its level predicted.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import { StudioPage } from './pages/StudioPage';

test.use({ viewport: { width: 1280, height: 800 } });

test('a UNet++ with deep supervision trains, predicts pruned to two levels, and exports the pruned model, which loads back', async ({ page }, testInfo) => {
  test.setTimeout(400_000);
  const studio = new StudioPage(page);
  await studio.open('wasm');
  await page.getByRole('button', { name: 'Load example' }).click();

  const train = await studio.openStep('Train');
  // The fast preset's depth 4: level 1 is a fraction of the network, so its speed-up stands out of the timing noise.
  await train.getByRole('combobox', { name: 'Preset' }).selectOption('fast');
  await expect(train.getByRole('spinbutton', { name: 'Tile size (px)' })).toHaveValue('128'); // the fast preset's tile on a CPU engine
  await page.screenshot({ path: testInfo.outputPath('fast-preset-on-cpu.png') });
  await train.getByRole('combobox', { name: 'Architecture' }).selectOption({ label: 'UNet++' });
  await expect(train.getByRole('checkbox', { name: 'Deep supervision' })).toBeChecked();
  await train.getByRole('spinbutton', { name: 'Steps' }).fill('4');
  await train.getByRole('button', { name: 'Start training' }).click();
  await expect.poll(async () => (await studio.state()).training.status, { timeout: 300_000 }).toBe('done');

  const predict = await studio.openStep('Predict');
  const heads = predict.getByRole('combobox', { name: 'UNet++ heads' });
  const status = predict.getByRole('status', { name: 'Prediction status' });
  /** Predicts the current slice at `level` five times; returns the fastest engine time and the probabilities. */
  const predictAt = async (level: string) => {
    await heads.selectOption(level);
    const times: number[] = [];
    for (let run = 0; run < 5; run++) {
      await predict.getByRole('button', { name: 'Predict this slice' }).click();
      await expect(status).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
      const state = await page.evaluate(() => (window as unknown as { __studio: { getState(): { prediction: { sliceTimes: Record<string, { ms: number }> } } } }).__studio.getState().prediction.sliceTimes);
      times.push(state[level]!.ms);
    }
    return { ms: Math.min(...times), probabilities: await studio.foreground() };
  };
  const level1 = await predictAt('1');
  const level4 = await predictAt('4');
  console.info(`[e2e] UNet++ depth 4 (fast preset) on a 256 px slice: level 1 ${level1.ms.toFixed(0)} ms, level 4 ${level4.ms.toFixed(0)} ms (fastest of 5)`);
  expect(level1.ms).toBeLessThan(level4.ms);
  const differing = level1.probabilities.filter((p, i) => Math.abs(p - level4.probabilities[i]!) > 0.01).length;
  expect(differing / level1.probabilities.length, 'share of pixels whose probability differs by > 0.01').toBeGreaterThan(0.1);
  // Both measured times are shown beside their choices.
  await expect(heads.locator('option', { hasText: /pruned to level 1 \(fastest\) · \d+\.\d\d s/ })).toHaveCount(1);
  await expect(heads.locator('option', { hasText: /pruned to level 4 .* · \d+\.\d\d s/ })).toHaveCount(1);
  await expect(predict.getByText('Times: one 256×256 slice with this model, as last measured.')).toBeVisible();
  await heads.selectOption('1');
  await studio.attachPanel(testInfo, 'Predict', '-unetpp');

  // Export with level 1 chosen: the pruned network, as its own model.json.
  const model = await studio.openStep('Model and exports');
  await expect(model.getByText(/Exports the UNet\+\+ pruned to level 1/)).toBeVisible();
  const downloads: { name: string; path: string }[] = [];
  page.on('download', async (download) => downloads.push({ name: download.suggestedFilename(), path: await download.path() }));
  await model.getByRole('button', { name: 'Export model (files)' }).click();
  await expect.poll(() => downloads.length >= 3 && downloads.every((d) => d.path)).toBe(true);
  const file = (name: string) => downloads.find((d) => d.name === name);
  const modelJson = JSON.parse(readFileSync(file('model.json')!.path, 'utf8')) as { weightsManifest: { paths: string[] }[]; userDefinedMetadata: { unetStudio: { pruning: unknown; architecture: { depth: number } } } };
  expect(modelJson.userDefinedMetadata.unetStudio.pruning).toEqual({ level: 1, fullDepth: 4 });
  expect(modelJson.userDefinedMetadata.unetStudio.architecture.depth).toBe(1);

  // Import it back (the studio asks before replacing the trained model): it predicts what level 1 predicted.
  page.once('dialog', (dialog) => void dialog.accept());
  const weightsName = modelJson.weightsManifest[0]!.paths[0]!.replace('./', '');
  await model.getByLabel('Model files').setInputFiles([
    { name: 'model.json', mimeType: 'application/json', buffer: readFileSync(file('model.json')!.path) },
    { name: weightsName, mimeType: 'application/octet-stream', buffer: readFileSync(file(weightsName)!.path) },
  ]);
  await expect.poll(async () => (await studio.state()).model.source, { timeout: 60_000 }).toBe('imported');
  await expect.poll(async () => (await studio.state()).model.description ?? '').toMatch(/UNet\+\+.*level 1/);
  await studio.predictSlice();
  const imported = await studio.foreground();
  const largest = imported.reduce((worst, p, i) => Math.max(worst, Math.abs(p - level1.probabilities[i]!)), 0);
  expect(largest).toBeLessThan(1e-5);
});
