import type { Locator, Page } from '@playwright/test';

interface StudioStateForTests {
  backend: { backend: string; adapter?: string; reason: string } | null;
  selfTest: { status: string; parity: { backend: string; relativeError: number } | null; losses: number[]; stepMs: number | null; numTensorsLeaked: number | null };
}

/** The page object for the header's backend badge and the engine check panel. */
export class EnginePage {
  readonly backendBadge: Locator;
  readonly checkStatus: Locator;

  constructor(private readonly page: Page) {
    this.backendBadge = page.getByRole('status', { name: 'Compute backend' });
    this.checkStatus = page.getByRole('status', { name: 'Engine check status' });
  }

  async open(backend?: string): Promise<void> {
    await this.page.goto(`./?test-hooks${backend ? `&backend=${backend}` : ''}`);
  }

  async runCheck(): Promise<void> {
    // The check sits in a collapsed <details> in the side column: open it as a user would.
    const details = this.page.locator('details.engine-check-details');
    if (!(await details.evaluate((el: HTMLDetailsElement) => el.open))) await details.locator('summary').click();
    await this.page.getByRole('button', { name: 'Run engine check' }).click();
  }

  private state(): Promise<StudioStateForTests> {
    return this.page.evaluate(() => (window as unknown as { __studio: { getState(): StudioStateForTests } }).__studio.getState());
  }

  async backendReport() {
    const { backend } = await this.state();
    if (!backend) throw new Error('No backend report yet');
    return backend;
  }

  async selfTest() {
    return (await this.state()).selfTest;
  }
}
