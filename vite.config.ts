import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { availableParallelism } from 'node:os';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
// Cross-origin isolation: the wasm engine runs threads only in such a page (SharedArrayBuffer).
import { cachedOnFirstUse, ISOLATION_HEADERS } from './src/serviceWorker/offlineRules.ts';

/**
 * The built page may talk to its own origin only: a Content-Security-Policy
 * makes "nothing leaves the machine" a browser-enforced fact. Build only: the
 * dev server needs inline scripts for hot reload.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  // blob: scripts are made by the page itself: the wasm engine's threads load their code from one.
  "script-src 'self' blob: 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self' data: blob:",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'unet-studio-csp',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' },
    ],
  };
}

/**
 * tfjs-backend-wasm hands its thread workers the threaded module's factory as
 * `factory.toString()`, which after bundling refers to names outside itself ("e is not defined"
 * in every thread, so a cross-origin isolated page got no engine). This gives them the factory's
 * own file instead, a self-contained script. Worker bundles have their own plugin list, so it is
 * in both.
 */
function threadedWasmFactorySource(): Plugin {
  const toStringCall = /`var WasmBackendModuleThreadedSimd = ` \+\s*wasmFactoryThreadedSimd\.toString\(\)/;
  return {
    name: 'unet-studio-threaded-wasm-factory',
    transform(code, id) {
      if (!/[\\/]@tensorflow[\\/]tfjs-backend-wasm[\\/]dist[\\/]backend_wasm\.js$/.test(id)) return null;
      if (!toStringCall.test(code)) this.error('tfjs-backend-wasm changed: the threaded factory is no longer passed as toString()');
      return `import threadedFactorySource from '../wasm-out/tfjs-backend-wasm-threaded-simd.js?raw';\n${code.replace(toStringCall, 'threadedFactorySource')}`;
    },
  };
}

/**
 * The service worker (src/serviceWorker/serviceWorker.ts) as dist/sw.js, beside index.html (its
 * scope is the app's folder), with the list of every built file to cache at install and a build id
 * (new build, new cache). The list is read from dist/ once everything is written: worker bundles and
 * wasm binaries come from sub-builds this build's own bundle does not list.
 */
function serviceWorker(): Plugin {
  let outDir = 'dist';
  const listFiles = (dir: string, prefix = ''): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`]);
  return {
    name: 'unet-studio-service-worker',
    apply: 'build',
    configResolved(config) { outDir = path.resolve(config.root, config.build.outDir); },
    buildStart() {
      this.emitFile({ type: 'chunk', id: path.resolve(import.meta.dirname, 'src/serviceWorker/serviceWorker.ts'), fileName: 'sw.js' });
    },
    closeBundle() {
      const swPath = path.join(outDir, 'sw.js');
      if (!existsSync(swPath)) return;
      const files = listFiles(outDir).filter((file) => file !== 'sw.js' && !file.endsWith('.map')).sort();
      // Names and contents: files from public/ keep their names when they change.
      const hash = createHash('sha256');
      for (const file of files) hash.update(`${file}\n`).update(readFileSync(path.join(outDir, file)));
      const precache = files.filter((file) => !cachedOnFirstUse(file));
      const buildId = hash.digest('hex').slice(0, 12);
      const source = readFileSync(swPath, 'utf8');
      if (!source.includes('__UNET_STUDIO_PRECACHE__')) throw new Error('sw.js lost its precache placeholder');
      writeFileSync(swPath, source.replace('__UNET_STUDIO_PRECACHE__', JSON.stringify(precache).replace(/'/g, "\\'")).replace('__UNET_STUDIO_BUILD_ID__', buildId));
    },
  };
}

export default defineConfig({
  // Relative asset URLs: the built studio works from any static host, under a sub-path too.
  base: './',
  server: { headers: ISOLATION_HEADERS },
  // onnxruntime-web finds its wasm beside its own module: pre-bundling would move the module (dev server only).
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  preview: { headers: ISOLATION_HEADERS },
  plugins: [react(), contentSecurityPolicy(), threadedWasmFactorySource(), serviceWorker()],
  worker: { format: 'es', plugins: () => [threadedWasmFactorySource()] },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['src/testSetup.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: one worker on a 2-core machine (CI), where the
    // WebGPU parity test alone takes ~3 minutes. Two workers there: the unit tests in ~7.5 instead of ~10.5 min.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
