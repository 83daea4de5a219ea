import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Locator, Page, TestInfo } from '@playwright/test';
import { expect } from '@playwright/test';

/** What the journey reads through the ?test-hooks handle (plain data only). */
export interface StudioSnapshot {
  engineStatus: string;
  data: { slices: { id: string; name: string; labelled: boolean }[]; currentSliceId: string | null; import: { status: string; summary: string | null } };
  training: { status: string; step: number; fromStep: number; learningRate: number | null; losses: { step: number; loss: number }[]; notices: string[] };
  prediction: { status: string; predictedSliceIds: string[] };
  model: { available: boolean; source: string | null; description: string | null };
  project: { persistence: string; storagePersisted: boolean | null };
  metrics: { rows: { sliceId: string; iou: number | null; adaptedRandError: number }[] };
}

/** The workflow steps of the side panel: each a button and a region of the same name. */
export type StepTitle = 'Data' | 'Label' | 'Previews' | 'Train' | 'Predict' | 'Model and exports';

/** The page object for the whole studio: panels by their headings, controls by role and name. */
export class StudioPage {
  constructor(readonly page: Page) {}

  /** A workflow step's region (only the open step's is visible: see openStep). */
  panel(title: string): Locator {
    return this.page.getByRole('region', { name: title, exact: true });
  }

  /** The button of a workflow step in the side panel. */
  stepButton(title: StepTitle): Locator {
    return this.page.getByRole('complementary', { name: 'Workflow' }).getByRole('button', { name: title, exact: true });
  }

  /** Opens a workflow step as a user does (one is open at a time) and returns its region. */
  async openStep(title: StepTitle): Promise<Locator> {
    const button = this.stepButton(title);
    if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
    await expect(button).toHaveAttribute('aria-expanded', 'true');
    const region = this.panel(title);
    await expect(region).toBeVisible();
    return region;
  }

  get canvas(): Locator {
    return this.page.getByRole('img', { name: 'Current slice with labels' });
  }

  /** WebGPU by default: on this machine's software adapter the studio would otherwise pick wasm (faster here), and these specs exercise WebGPU. */
  async open(backend = 'webgpu'): Promise<void> {
    await this.page.goto(`./?test-hooks&backend=${backend}`);
    await this.page.waitForFunction(() => (window as unknown as { __studio?: unknown }).__studio !== undefined);
  }

  state(): Promise<StudioSnapshot> {
    return this.page.evaluate(() => (window as unknown as { __studio: { getState(): StudioSnapshot } }).__studio.getState());
  }

  /** Drops files onto the drop zone the way a file manager does: a real `drop` event with a DataTransfer of Files. */
  async dropFiles(paths: readonly string[]): Promise<void> {
    await this.openStep('Data');
    const files = paths.map((path) => ({ name: basename(path), base64: readFileSync(path).toString('base64') }));
    const dataTransfer = await this.page.evaluateHandle((list) => {
      const transfer = new DataTransfer();
      for (const { name, base64 } of list) {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        transfer.items.add(new File([bytes], name, { type: name.endsWith('.tif') ? 'image/tiff' : '' }));
      }
      return transfer;
    }, files);
    const zone = this.page.getByRole('region', { name: /Drop images/ }).or(this.page.getByRole('button', { name: /Drop images/ })).first();
    await zone.dispatchEvent('dragenter', { dataTransfer });
    await zone.dispatchEvent('dragover', { dataTransfer });
    await zone.dispatchEvent('drop', { dataTransfer });
  }

  /** The current slice's foreground probabilities (class 1), straight from the page's prediction registry. */
  foreground(): Promise<number[]> {
    return this.page.evaluate(() => {
      const studio = (window as unknown as { __studio: { getState(): { data: { currentSliceId: string } }; predictions: { foregroundOf(id: string): Float32Array | null } } }).__studio;
      return Array.from(studio.predictions.foregroundOf(studio.getState().data.currentSliceId) ?? []);
    });
  }

  /** Counts pixels of each class on a slice, straight from the page's registry. */
  classCounts(sliceId: string): Promise<Record<string, number>> {
    return this.page.evaluate((id) => {
      const record = (window as unknown as { __studio: { slices: { get(id: string): { classes: Int32Array } | undefined } } }).__studio.slices.get(id);
      const counts: Record<string, number> = {};
      for (const k of record?.classes ?? []) counts[k] = (counts[k] ?? 0) + 1;
      return counts;
    }, sliceId);
  }

  /** Drags across the canvas between two points given as fractions of its box. */
  async drag(from: [number, number], to: [number, number]): Promise<void> {
    await this.canvas.scrollIntoViewIfNeeded();
    const box = await this.canvas.boundingBox();
    if (!box) throw new Error('The canvas is not visible');
    const at = ([fx, fy]: [number, number]) => [box.x + fx * box.width, box.y + fy * box.height] as const;
    await this.page.mouse.move(...at(from));
    await this.page.mouse.down();
    await this.page.mouse.move(...at(to), { steps: 12 });
    await this.page.mouse.up();
  }

  /** Starts a tiny-preset run of `steps` steps from the Train step and waits until `atLeast` steps are done; returns the step's region. */
  async startTinyRun(steps: number, atLeast: number): Promise<Locator> {
    const train = await this.openStep('Train');
    await train.getByRole('combobox', { name: 'Preset' }).selectOption('tiny');
    await train.getByRole('spinbutton', { name: 'Steps' }).fill(String(steps));
    await train.getByRole('button', { name: 'Start training' }).click();
    await expect.poll(() => this.stepsDone(), { timeout: 120_000 }).toBeGreaterThanOrEqual(atLeast);
    return train;
  }

  /** Steps of the current run so far. */
  async stepsDone(): Promise<number> {
    return (await this.state()).training.losses.length;
  }

  /** Trains the tiny preset for `steps` steps from the Train panel and waits until the run is done. */
  async trainTiny(steps: number): Promise<void> {
    const train = await this.openStep('Train');
    await train.getByRole('combobox', { name: 'Preset' }).selectOption('tiny');
    await train.getByRole('spinbutton', { name: 'Steps' }).fill(String(steps));
    await train.getByRole('button', { name: 'Start training' }).click();
    await expect.poll(async () => (await this.state()).training.status, { timeout: 120_000 }).toBe('done');
  }

  /** The example stack with a tiny model trained `steps` steps and its first slice predicted: where many checks of results start. */
  async exampleTrainedAndPredicted(steps = 3): Promise<void> {
    await this.page.getByRole('button', { name: 'Load example' }).click();
    await expect(this.page.getByRole('status', { name: 'Data summary' })).toContainText('4 slices, 3 labelled');
    await this.trainTiny(steps);
    await this.predictSlice();
  }

  /** Predicts the current slice from the Predict panel and waits until the prediction is done. */
  async predictSlice(): Promise<void> {
    const predict = await this.openStep('Predict');
    await predict.getByRole('button', { name: 'Predict this slice' }).click();
    await expect(predict.getByRole('status', { name: 'Prediction status' })).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  }

  /** Chooses model files (or a package zip) for Import model, as its hidden file input receives them. */
  async importModelFile(name: string, bytes: Uint8Array): Promise<void> {
    const model = await this.openStep('Model and exports');
    await model.getByLabel('Model files').setInputFiles([{ name, mimeType: 'application/zip', buffer: Buffer.from(bytes) }]);
  }

  /** Opens a step and photographs the window (the canvas with that step beside it) into the test's output folder and the report. */
  async attachPanel(testInfo: TestInfo, title: StepTitle, suffix = ''): Promise<void> {
    await this.openStep(title);
    const path = testInfo.outputPath(`panel-${title.replace(/\W+/g, '-').toLowerCase()}${suffix}.png`);
    await this.page.screenshot({ path });
    await testInfo.attach(`panel: ${title}${suffix}`, { path, contentType: 'image/png' });
  }

  /** Counts canvas pixels whose blue exceeds red by 30 (the foreground colour's overlay). */
  bluishPixels(): Promise<number> {
    return this.canvas.evaluate((el: HTMLCanvasElement) => {
      const data = el.getContext('2d')!.getImageData(0, 0, el.width, el.height).data;
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 2]! > data[i]! + 30) n++;
      return n;
    });
  }
}
