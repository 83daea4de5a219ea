/**
 * One-file project (issue 16 item 3): a bioimage.io package and a project zip exported from the
 * page both import into a fresh browser profile (a new context, its own IndexedDB): the project
 * brings back the same labels and the same predictions, and says what it restored; the package's
 * model predicts the same probabilities there.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { StudioPage } from './pages/StudioPage';

test.use({ viewport: { width: 1280, height: 800 } });

/** Every slice's name and an FNV-1a hash of its class map (equal hashes: the same labels). */
function labelHashes(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const handle = (window as unknown as { __studio: { getState(): { data: { slices: { id: string; name: string }[] } }; slices: { get(id: string): { classes: Int32Array } } } }).__studio;
    const out: Record<string, number> = {};
    for (const { id, name } of handle.getState().data.slices) {
      let hash = 2166136261;
      for (const k of handle.slices.get(id).classes) hash = Math.imul(hash ^ (k + 1), 16777619) >>> 0;
      out[name] = hash;
    }
    return out;
  });
}

const worstDifference = (a: readonly number[], b: readonly number[]) => a.reduce((worst, p, i) => Math.max(worst, Math.abs(p - (b[i] as number))), 0);

test('a package and a project zip exported from the page import into a fresh browser profile: same labels, same predictions', async ({ page, freshContext }, testInfo) => {
  test.setTimeout(300_000);
  const studio = new StudioPage(page);
  await studio.open('wasm');
  await studio.exampleTrainedAndPredicted();
  const labels = await labelHashes(page);
  const foreground = await studio.foreground();
  const { prediction } = await studio.state();
  expect(prediction.predictedSliceIds).toHaveLength(1);

  const downloads = new Map<string, string>();
  page.on('download', async (download) => downloads.set(download.suggestedFilename(), await download.path()));
  const model = await studio.openStep('Model and exports');
  await model.getByText(/^bioimage\.io package \(/).click();
  const form = model.getByRole('form', { name: 'bioimage.io package' });
  await form.getByLabel('Model name').fill('Example U-Net (e2e)');
  await form.getByLabel('Description').fill('The tiny preset on the example stack, exported by the e2e test.');
  await form.getByLabel(/Authors/).fill('Ada Lovelace');
  await form.getByLabel('Licence').selectOption('MIT');
  await form.getByRole('button', { name: 'Export bioimage.io package' }).click();
  await expect.poll(() => downloads.has('unet-model.bioimageio.zip'), { timeout: 120_000 }).toBe(true);

  await page.getByRole('button', { name: 'Export project' }).click();
  await expect.poll(() => [...downloads.keys()].find((name) => name.endsWith('.unet-project.zip')), { timeout: 120_000 }).toBeTruthy();
  const projectName = [...downloads.keys()].find((name) => name.endsWith('.unet-project.zip')) as string;
  await page.screenshot({ path: testInfo.outputPath('project-bar-1280x800.png') });

  // A fresh browser profile: nothing saved there yet.
  const fresh = await (await freshContext()).newPage();
  const other = new StudioPage(fresh);
  await other.open('wasm');
  await expect(fresh.getByRole('status', { name: 'Autosave' })).toHaveAttribute('data-persistence', 'idle');
  await fresh.getByLabel('Project file').setInputFiles([{ name: projectName, mimeType: 'application/zip', buffer: readFileSync(downloads.get(projectName) as string) }]);
  // The page reloads into the imported project and says what it restored.
  const report = fresh.getByRole('status', { name: 'Project import' });
  // The file name stands isolated (U+2068 ... U+2069) in the sentence, as every user-given name does.
  await expect(report).toContainText(`Imported \u2068${projectName}\u2069:`, { timeout: 120_000 });
  await expect(report).toContainText('4 slices (3 labelled), 1 prediction, the model, the settings, a training history of 3 steps');
  await fresh.waitForFunction(() => (window as unknown as { __studio?: unknown }).__studio !== undefined);
  await expect.poll(async () => (await other.state()).model.source, { timeout: 60_000 }).toBe('restored');
  expect(await labelHashes(fresh)).toEqual(labels);
  expect((await other.state()).prediction.predictedSliceIds).toEqual(prediction.predictedSliceIds);
  const imported = await other.foreground();
  expect(imported).toHaveLength(foreground.length);
  expect(worstDifference(imported, foreground)).toBeLessThanOrEqual(1 / 131070 + 1e-6); // stored at 16 bits
  const predict = await other.openStep('Predict');
  await expect(predict.getByRole('table', { name: 'Metrics' }).locator('tbody tr')).toHaveCount(1);
  await expect(predict.getByRole('note', { name: 'Stale predictions' })).toHaveCount(0);
  await fresh.screenshot({ path: testInfo.outputPath('project-imported-1280x800.png') });

  // The package's model, imported there too (asked first: it replaces the project's model), predicts the same.
  fresh.once('dialog', (dialog) => void dialog.accept());
  await (await other.openStep('Model and exports')).getByLabel('Model files').setInputFiles([{ name: 'unet-model.bioimageio.zip', mimeType: 'application/zip', buffer: readFileSync(downloads.get('unet-model.bioimageio.zip') as string) }]);
  await expect.poll(async () => (await other.state()).model.source, { timeout: 60_000 }).toBe('imported');
  await other.predictSlice();
  expect(worstDifference(await other.foreground(), foreground)).toBeLessThan(1e-5);
});
