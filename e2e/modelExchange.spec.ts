/**
 * The ONNX and bioimage.io exports from the page (issue 16): with the nuclei starter loaded and a DSB
 * image open, "Export ONNX" downloads a file that onnxruntime-web runs, and the export form downloads a
 * bioimage.io package whose rdf.yaml validates against the format's JSON Schema and whose test output
 * (computed by the page's engine) onnxruntime-web reproduces from its test input, as a consumer would.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { unzipSync } from 'fflate';
import { parse } from 'yaml';
import { maxAbsDiff } from '../src/testUtils/compareArrays';
import { bioimageioSchemaValidator, scaleRange } from '../src/testUtils/bioimageioReference';
import { runOnnx } from '../src/testUtils/onnxRuntime';
import { readNpy } from '../src/testUtils/readNpy';
import { expect, test } from './fixtures';
import { StudioPage } from './pages/StudioPage';

const DSB = resolve(import.meta.dirname, '../../shared/data/nuclei/dsb2018-stage1-subset');
const IMAGE_ID = '0ddd8deaf1696db68b00c600601c6a74a0502caaf274222c8367bdc31458ae7e';

test.use({ viewport: { width: 1280, height: 800 } });

test('exports the model as ONNX and as a bioimage.io package that validates, reproduces its test output and imports back', async ({ page }) => {
  test.setTimeout(300_000);
  test.skip(!existsSync(DSB) && process.env.UNET_STUDIO_REQUIRE_PEERS !== '1', `../shared/data/nuclei is absent (${DSB})`);
  const studio = new StudioPage(page);
  await studio.open('wasm');
  await studio.dropFiles([`${DSB}/images/${IMAGE_ID}.png`]);
  await expect(page.getByRole('status', { name: 'Data summary' })).toContainText('1 slice,');
  const train = await studio.openStep('Train');
  await train.getByRole('combobox', { name: 'Start from' }).selectOption({ label: 'starter: fluorescent nuclei (DSB 2018)' });
  await expect.poll(async () => (await studio.state()).model.available, { timeout: 60_000 }).toBe(true);

  const model = await studio.openStep('Model and exports');
  const downloads = new Map<string, string>();
  page.on('download', async (download) => downloads.set(download.suggestedFilename(), await download.path()));

  await model.getByRole('button', { name: 'Export ONNX' }).click();
  await expect.poll(() => downloads.has('unet-model.onnx'), { timeout: 60_000 }).toBe(true);
  const onnx = readFileSync(downloads.get('unet-model.onnx')!);
  const probabilities = await runOnnx(onnx, 'input', new Float32Array(64 * 64).fill(0.3), [1, 1, 64, 64]);
  expect(probabilities.dims).toEqual([1, 2, 64, 64]);
  expect(Math.abs(probabilities.data[0]! + probabilities.data[64 * 64]! - 1)).toBeLessThan(1e-5); // a softmax over the classes

  await model.getByText(/^bioimage\.io package \(/).click(); // the disclosure's summary
  const form = model.getByRole('form', { name: 'bioimage.io package' });
  await form.getByLabel('Model name').fill('Nuclei U-Net (e2e)');
  await form.getByLabel('Description').fill('The nuclei starter, exported by the e2e test.');
  await form.getByLabel(/Authors/).fill('Ada Lovelace; Analytical Engine Lab');
  await form.getByLabel('Licence').selectOption('MIT');
  await form.getByRole('button', { name: 'Export bioimage.io package' }).click();
  await expect.poll(() => downloads.has('unet-model.bioimageio.zip'), { timeout: 120_000 }).toBe(true);
  expect((await studio.state()).model.available).toBe(true);

  const files = unzipSync(readFileSync(downloads.get('unet-model.bioimageio.zip')!));
  const rdf = parse(new TextDecoder().decode(files['rdf.yaml'])) as { inputs: { id: string; preprocessing: { id: string; kwargs: { min_percentile: number; max_percentile: number; eps: number } }[] }[]; authors: unknown };
  const validate = bioimageioSchemaValidator();
  expect(validate(rdf), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
  expect(rdf.authors).toEqual([{ name: 'Ada Lovelace', affiliation: 'Analytical Engine Lab' }]);
  const input = readNpy(files['test_input.npy']!);
  const output = readNpy(files['test_output.npy']!);
  const scale = rdf.inputs[0]!.preprocessing.find((step) => step.id === 'scale_range')!;
  const reproduced = await runOnnx(files['weights.onnx']!, rdf.inputs[0]!.id, scaleRange(input.values, input.shape, scale.kwargs), input.shape);
  const difference = maxAbsDiff(reproduced.data, output.values);
  console.info(`[e2e] bioimage.io package from the page (engine: wasm): test output reproduced by onnxruntime-web, max |difference| ${difference.toExponential(2)}`);
  expect(difference).toBeLessThan(1e-4);

  // The package imports back (its TensorFlow.js weights carry the studio's metadata): asked first, then it predicts as before.
  await studio.predictSlice();
  const before = await studio.foreground();
  page.once('dialog', (dialog) => void dialog.accept());
  await (await studio.openStep('Model and exports')).getByLabel('Model files').setInputFiles([{ name: 'unet-model.bioimageio.zip', mimeType: 'application/zip', buffer: readFileSync(downloads.get('unet-model.bioimageio.zip')!) }]);
  await expect.poll(async () => (await studio.state()).model.source, { timeout: 60_000 }).toBe('imported');
  await studio.predictSlice();
  const after = await studio.foreground();
  expect(after.length).toBe(before.length);
  expect(after.reduce((worst, p, i) => Math.max(worst, Math.abs(p - before[i]!)), 0)).toBeLessThan(1e-5);
});

