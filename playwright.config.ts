import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests drive the built studio in Chromium. Debian's chromium is used
 * when present (CHROMIUM_PATH overrides), else Playwright's own browser.
 * Without a GPU, WebGPU comes from SwiftShader: these flags give an adapter in
 * the page and in dedicated workers (../shared/brief/TFJS.md).
 */
const executablePath = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

const BASE_ARGS = [
  '--use-angle=swiftshader',
  '--no-sandbox',
  // A closed network: keep Chromium from phoning home, so recorded requests are the page's own.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const WEBGPU_ARGS = ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-webgpu-adapter=swiftshader'];
const withArgs = (args: string[]) => ({ launchOptions: { ...(executablePath ? { executablePath } : {}), args } });

/** E2E_PORT: another port when 4173 is taken (two checkouts on one machine). */
const PORT = Number(process.env.E2E_PORT ?? 4173);
/** The build is served by a plain static server under a sub-path, as a lab's web server would host it. */
const BASE_PATH = '/studio/';

export default defineConfig({
  testDir: 'e2e',
  timeout: 300_000,
  expect: { timeout: 30_000 },
  workers: 1,
  retries: 0,
  reporter: [['list'], ['html', { open: 'never' }], ['json', { outputFile: 'reports/e2e.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}${BASE_PATH}`,
    screenshot: 'on',
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'webgpu', testIgnore: /backendFallback/, use: withArgs([...WEBGPU_ARGS, ...BASE_ARGS]) },
    { name: 'no-webgpu', testMatch: /backendFallback/, use: withArgs(BASE_ARGS) },
  ],
  webServer: {
    command: `npm run build && node scripts/serveStatic.mjs --root dist --base ${BASE_PATH} --port ${PORT}`,
    url: `http://127.0.0.1:${PORT}${BASE_PATH}`,
    reuseExistingServer: !process.env.CI,
    timeout: 180_000,
  },
});
