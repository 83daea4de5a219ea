/**
 * The headless command's result opens in the page: a project file of ISBI crops (../shared/data) is
 * trained and predicted by `node bin/unet-studio.mjs` (as a user runs it), then imported into the
 * studio: the same slices and labels, the trained model with its training history, the command's
 * predictions, and a prediction the page makes with that model equals the command's.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { readProjectFile } from '../src/core/project/readProjectFile';
import { isbiCrops, projectFileOf } from '../src/testing/isbiProjectFile';
import { hasSharedData } from '../src/testing/testPeers';
import { expect, test } from './fixtures';
import { StudioPage } from './pages/StudioPage';

const run = promisify(execFile);
const cli = (args: string[]) => run(process.execPath, ['bin/unet-studio.mjs', ...args, '--backend', 'wasm'], { timeout: 120_000 });

test('a project trained and predicted by npx unet-studio opens in the page, and the page predicts as the command did', async ({ page }, testInfo) => {
  test.skip(!hasSharedData('isbi2012'), '../shared/data is absent');
  const input = testInfo.outputPath('isbi.unet-project.zip');
  writeFileSync(input, await projectFileOf(isbiCrops(96)));
  await cli(['train', input, '--out', testInfo.outputPath('trained'), '--steps', '4']);
  const { stdout } = await cli(['predict', testInfo.outputPath('trained/isbi.zip'), '--out', testInfo.outputPath('predicted')]);
  expect(stdout).toContain('Predicted 3 of 3 slice(s).');
  const result = testInfo.outputPath('predicted/isbi.zip');
  const written = await readProjectFile(new Uint8Array(readFileSync(result)), 'isbi.zip');

  await page.setViewportSize({ width: 1280, height: 800 });
  const studio = new StudioPage(page);
  await studio.open('wasm');
  await page.getByLabel('Project file').setInputFiles([{ name: 'isbi.zip', mimeType: 'application/zip', buffer: readFileSync(result) }]);
  const report = page.getByRole('status', { name: 'Project import' });
  await expect(report).toContainText('3 slices (2 labelled), 3 predictions, the model, the settings, a training history of 4 steps', { timeout: 120_000 });
  await page.waitForFunction(() => (window as unknown as { __studio?: unknown }).__studio !== undefined);
  await expect.poll(async () => (await studio.state()).model.source, { timeout: 60_000 }).toBe('restored');
  expect(await studio.classCounts('isbi-0')).toEqual(countsOf(written.slices[0]!.slice.classes));
  const fromCommand = await studio.foreground();
  const stored = written.slices[0]!.prediction!.quantised;
  expect(fromCommand).toHaveLength(96 * 96);
  expect(Math.max(...fromCommand.map((p, i) => Math.abs(p - (stored[i] as number) / 65535)))).toBeLessThanOrEqual(1e-6);
  await expect((await studio.openStep('Predict')).getByRole('note', { name: 'Stale predictions' })).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('headless-imported-1280x800.png') });

  // The page's engine, with the imported weights, predicts what the command predicted (16-bit storage aside).
  await studio.predictSlice();
  const fromPage = await studio.foreground();
  expect(Math.max(...fromPage.map((p, i) => Math.abs(p - (fromCommand[i] as number))))).toBeLessThanOrEqual(1 / 131070 + 1e-5);
});

function countsOf(classes: Int32Array): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const k of classes) counts[k] = (counts[k] ?? 0) + 1;
  return counts;
}
