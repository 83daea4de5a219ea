/**
 * The headless command as a user runs it (`node bin/unet-studio.mjs`, a child process) on a project
 * file made from ISBI 2012 crops in ../shared/data: train writes a project whose model has trained
 * the asked steps and whose slices and labels are the input's, predict writes predictions of every
 * slice and the page's TIFF exports, equal to the project's probabilities; and each failure exits
 * with a code and a message saying what to do.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sliceOf } from '../core/image/imageStack';
import { decodeTiff } from '../core/io/decodeTiff';
import { readProjectFile } from '../core/project/readProjectFile';
import { isbiCrops, projectFileOf } from '../testing/isbiProjectFile';
import { hasSharedData, hasSwiftShaderVulkan, SHARED_DATA, SWIFTSHADER_VULKAN } from '../testing/testPeers';

const BIN = fileURLToPath(new URL('../../bin/unet-studio.mjs', import.meta.url));
const present = hasSharedData('isbi2012');
const SIZE = 96;

function cli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 200_000, env }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const readZip = async (file: string) => readProjectFile(new Uint8Array(readFileSync(file)), path.basename(file));

describe('npx unet-studio', () => {
  if (!present) it('is not checked: ../shared/data is absent', () => console.warn(`../shared/data is absent: the headless command is not run (looked in ${SHARED_DATA})`));

  it.skipIf(!present)('trains a project file, then predicts it, writing what the page reads', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'unet-headless-'));
    const slices = isbiCrops(SIZE);
    const input = path.join(dir, 'isbi.unet-project.zip');
    writeFileSync(input, await projectFileOf(slices));

    const train = await cli(['train', input, '--out', path.join(dir, 'trained'), '--steps', '4', '--backend', 'wasm']);
    expect(train.stderr).toBe('');
    expect(train.code).toBe(0);
    expect(train.stdout).toContain('Project isbi: 3 slice(s), 2 labelled; classes membrane, cell.');
    expect(train.stdout).toContain('Engine: wasm (CPU, 1 thread).');
    expect(train.stdout).toMatch(/^step 4\/4 {2}loss \d+\.\d{4}/m);
    expect(train.stdout).toContain('Training completed after 4 steps');

    const trained = await readZip(path.join(dir, 'trained', 'isbi.zip'));
    const metadata = JSON.parse(trained.model!.metadataJson) as { training: { steps: number }; classNames: string[] };
    expect(metadata.training.steps).toBe(4);
    expect(metadata.classNames).toEqual(['membrane', 'cell']);
    expect(trained.manifest.classNames).toEqual(['membrane', 'cell']);
    expect(trained.slices.map(({ slice }) => [slice.id, slice.name])).toEqual(slices.map((s) => [s.id, s.name]));
    trained.slices.forEach(({ slice }, i) => {
      expect(slice.pixels).toEqual(slices[i]!.pixels);
      expect(slice.classes).toEqual(slices[i]!.classes);
    });
    const history = trained.training as { losses: { step: number }[]; fromStep: number; totalSteps: number };
    expect(history.losses.map((p) => p.step)).toEqual([1, 2, 3, 4]);
    expect([history.fromStep, history.totalSteps]).toEqual([0, 4]);
    expect((trained.settings as { trainingChoices: { steps: number }; classColours: unknown[] })).toMatchObject({ trainingChoices: { steps: 4 }, classColours: [null, '#00ff88'] });
    const modelJson = readFileSync(path.join(dir, 'trained', 'model', 'model.json'), 'utf8');
    expect(modelJson).toBe(trained.model!.modelJson);

    const predict = await cli(['predict', path.join(dir, 'trained', 'isbi.zip'), '--out', path.join(dir, 'predicted'), '--backend', 'wasm']);
    expect(predict.code).toBe(0);
    expect(predict.stdout).toContain('Predicted 3 of 3 slice(s).');
    const predicted = await readZip(path.join(dir, 'predicted', 'isbi.zip'));
    expect(predicted.slices.every(({ prediction }) => prediction?.fromCurrentModel === true && prediction.numClasses === 2)).toBe(true);
    const masks = decodeTiff(new Uint8Array(readFileSync(path.join(dir, 'predicted', 'masks.tif'))), 'masks.tif');
    expect([masks.width, masks.height, masks.slices]).toEqual([SIZE, SIZE, 3]);
    // Each mask page is the argmax of that slice's stored probabilities (16-bit in the project: allow the few pixels at a tie).
    predicted.slices.forEach(({ prediction }, z) => {
      const page = sliceOf(masks, z);
      let differ = 0;
      for (let i = 0; i < SIZE * SIZE; i++) if (page[i] !== ((prediction!.quantised[i] as number) > 65535 / 2 ? 1 : 0)) differ++;
      expect(differ).toBeLessThanOrEqual(3);
    });
  }, 240_000);

  it.skipIf(!present || !hasSwiftShaderVulkan())('trains on WebGPU through Dawn (SwiftShader here: asked for by name) as on wasm', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'unet-headless-'));
    const input = path.join(dir, 'isbi.zip');
    writeFileSync(input, await projectFileOf(isbiCrops(SIZE)));
    const losses = (stdout: string) => [...stdout.matchAll(/^step \d\/2 {2}loss (\d+\.\d+)/gm)].map((m) => Number(m[1]));
    const env = { ...process.env, LD_LIBRARY_PATH: SWIFTSHADER_VULKAN.libraryPath, VK_ICD_FILENAMES: SWIFTSHADER_VULKAN.icd };
    const gpu = await cli(['train', input, '--out', path.join(dir, 'gpu'), '--steps', '2', '--backend', 'webgpu'], env);
    expect(gpu.code).toBe(0);
    expect(gpu.stdout).toMatch(/^Engine: webgpu on .*swiftshader/im);
    expect(gpu.stderr).not.toMatch(/invalid|exceeds/i); // no WebGPU validation error (tfjs's AddN past 7 inputs was one)
    const cpu = await cli(['train', input, '--out', path.join(dir, 'cpu'), '--steps', '2', '--backend', 'wasm']);
    expect(losses(gpu.stdout)).toHaveLength(2);
    losses(gpu.stdout).forEach((loss, i) => expect(loss).toBeCloseTo(losses(cpu.stdout)[i] as number, 3));
    // Asked for nothing, a software adapter is no GPU: wasm.
    const auto = await cli(['train', input, '--out', path.join(dir, 'auto'), '--steps', '1'], env);
    expect(auto.stdout).toMatch(/^Engine: wasm \(CPU, 1 thread\): no GPU \(the only WebGPU adapter is software/m);
  }, 300_000);

  it('says what is wrong, with exit code 2 for a command-line mistake and 1 for a failure', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'unet-headless-'));
    const usage = await cli(['train', 'p.zip']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('train needs --out DIR, the folder to write results into.');
    expect(usage.stderr).toContain('npx unet-studio train PROJECT.zip --out DIR');

    const notAProject = path.join(dir, 'notes.zip');
    writeFileSync(notAProject, new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)])); // an empty zip
    const refused = await cli(['train', notAProject, '--out', path.join(dir, 'out'), '--backend', 'wasm']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^unet-studio train failed: .*notes\.zip.* has no manifest\.json: it is not a U-Net Studio project file/);

    const help = await cli(['--help']);
    expect([help.code, help.stdout.split('\n')[0]]).toEqual([0, 'unet-studio: the studio\'s engine on a project file, without a browser.']);
  }, 60_000);

  it.skipIf(!present)('refuses to train a project without labels, and to predict one without a model', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'unet-headless-'));
    const unlabelled = isbiCrops(SIZE).map((s) => ({ ...s, classes: new Int32Array(SIZE * SIZE).fill(-1) }));
    const file = path.join(dir, 'blank.zip');
    writeFileSync(file, await projectFileOf(unlabelled));
    const train = await cli(['train', file, '--out', path.join(dir, 'out'), '--backend', 'wasm']);
    expect(train.code).toBe(1);
    expect(train.stderr).toContain('The project blank has no labelled slice to train on: paint or load labels in the studio first.');
    const predict = await cli(['predict', file, '--out', path.join(dir, 'out'), '--backend', 'wasm']);
    expect(predict.code).toBe(1);
    expect(predict.stderr).toContain('The project blank has no model: train it first (in the studio, or with unet-studio train).');
  }, 60_000);
});
