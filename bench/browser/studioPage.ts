/**
 * The built studio in headless Chromium for the browser rows of `npm run bench`: builds dist/ when
 * it is missing or older than the sources, serves it under /studio/ from an in-process static
 * server on a free port (as scripts/serveStatic.mjs does), launches Chromium with the SwiftShader
 * WebGPU flags of playwright.config.ts, and opens one page per forced backend (`?backend=...`).
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { chromium } from '@playwright/test';
import type { BackendName, BackendReport } from '../../src/engine/protocol';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DIST = path.join(ROOT, 'dist');
const BASE_PATH = '/studio/';
const PAGE_SCRIPT = readFileSync(path.join(import.meta.dirname, 'pageScript.js'), 'utf8');

/** As playwright.config.ts: SwiftShader WebGPU in the page and in dedicated workers, no phoning home. */
export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-webgpu-adapter=swiftshader',
  '--use-angle=swiftshader', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.bin': 'application/octet-stream', '.tif': 'image/tiff',
};

function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtimeMs(full));
    else if (!/\.test\.tsx?$/.test(entry.name)) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds dist/ with `npx vite build` only when it is missing or older than src/ (or index.html, vite.config.ts); says which. */
export function ensureBuild(): string {
  const built = existsSync(path.join(DIST, 'index.html')) ? statSync(path.join(DIST, 'index.html')).mtimeMs : null;
  const sources = Math.max(newestMtimeMs(path.join(ROOT, 'src')), ...['index.html', 'vite.config.ts'].map((f) => statSync(path.join(ROOT, f)).mtimeMs));
  if (built !== null && built >= sources) return `dist/ up to date (built ${new Date(built).toISOString()}), not rebuilt`;
  const why = built === null ? 'dist/ was missing' : 'dist/ was older than the sources';
  console.log(`  ${why}: npx vite build ...`);
  const run = spawnSync('npx', ['vite', 'build'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (run.status !== 0) throw new Error(`npx vite build failed: ${(run.stderr || run.stdout).trim().split('\n').slice(-3).join(' ')}`);
  return `${why}: rebuilt with npx vite build`;
}

/** The built studio (built first when stale: ensureBuild) served on a free port, and its URL; the caller closes the server. */
export async function serveBuiltStudio(): Promise<{ server: Server; baseUrl: string }> {
  console.log(ensureBuild());
  const server = await serveDist();
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}${BASE_PATH}` };
}

export function serveDist(): Promise<Server> {
  const server = createServer((request, response) => {
    const urlPath = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    if (!urlPath.startsWith(BASE_PATH)) {
      response.writeHead(404).end();
      return;
    }
    let file = path.normalize(path.join(DIST, urlPath.slice(BASE_PATH.length)));
    if (!file.startsWith(DIST)) {
      response.writeHead(403).end();
      return;
    }
    try {
      if (statSync(file).isDirectory()) file = path.join(file, 'index.html');
      response.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'content-length': statSync(file).size });
      createReadStream(file).pipe(response);
    } catch {
      response.writeHead(404).end();
    }
  });
  // Port 0: the system picks a free port (never the 4173/5173 that other runs use).
  return new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve(server)));
}

export interface OpenedBackend {
  readonly page: Page;
  readonly report: BackendReport;
  /** What the backend computes on: the WebGPU adapter, the WebGL renderer, or the CPU. */
  readonly adapter: string;
}

/** One browser and server for all rows; one page at a time, for one forced backend. */
export class StudioBrowser {
  private browser: Browser | null = null;
  private server: Server | null = null;
  private current: { backend: BackendName; opened: OpenedBackend | Error } | null = null;
  buildNote = '';

  /** `extraQuery`: more of the page's URL parameters, e.g. '&no-service-worker' (not isolated: wasm on 1 thread). */
  constructor(private readonly extraQuery = '') {}

  private async start(): Promise<{ browser: Browser; baseUrl: string }> {
    if (!this.browser || !this.server) {
      this.buildNote = ensureBuild();
      console.log(`  ${this.buildNote}`);
      this.server = await serveDist();
      const executablePath = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
      this.browser = await chromium.launch({ ...(executablePath ? { executablePath } : {}), args: CHROMIUM_ARGS });
    }
    return { browser: this.browser, baseUrl: `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${BASE_PATH}` };
  }

  /** The page with the engine on `backend` (forced: no fallback); throws the engine's reason when it cannot start. */
  async open(backend: BackendName): Promise<OpenedBackend> {
    if (this.current?.backend === backend) {
      if (this.current.opened instanceof Error) throw this.current.opened;
      return this.current.opened;
    }
    if (this.current && !(this.current.opened instanceof Error)) await this.current.opened.page.context().close();
    this.current = null;
    const { browser, baseUrl } = await this.start();
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript({ content: PAGE_SCRIPT });
    await page.goto(`${baseUrl}?test-hooks&backend=${backend}${this.extraQuery}`);
    try {
      // On a first visit the studio's service worker reloads the page once (cross-origin isolation): wait for the studio after it.
      await page.waitForFunction(() => '__studio' in window, null, { timeout: 120_000 });
      const report = await call<BackendReport>(page, 'ready', 120_000);
      const adapter = backend === 'webgpu' ? report.adapter ?? 'unknown WebGPU adapter'
        : backend === 'webgl' ? `WebGL: ${(await call<string | null>(page, 'webglRenderer')) ?? 'unknown renderer'}`
          : backend === 'wasm'
            ? `CPU, WebAssembly, ${report.threads ?? 1} thread${report.threads === 1 ? '' : 's'}${(await call<boolean>(page, 'crossOriginIsolated')) ? ' (cross-origin isolated)' : ' (page not cross-origin isolated)'}`
            : 'CPU, plain JavaScript';
      const opened = { page, report, adapter };
      this.current = { backend, opened };
      return opened;
    } catch (error) {
      await context.close();
      const failure = new Error(`${backend} did not start in this Chromium: ${error instanceof Error ? error.message : String(error)}`);
      this.current = { backend, opened: failure };
      throw failure;
    }
  }

  async close(): Promise<void> {
    await this.browser?.close();
    this.browser = null;
    this.current = null;
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Calls `window.__bench[method](...args)` in the page (text, not a serialised function: see pageScript.js). */
export async function call<T>(page: Page, method: string, ...args: unknown[]): Promise<T> {
  return (await page.evaluate(`window.__bench.${method}(${args.map((a) => JSON.stringify(a)).join(', ')})`)) as T;
}
