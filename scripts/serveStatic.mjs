#!/usr/bin/env node
/**
 * A plain static file server for the built studio, mounted under a sub-path (default /studio/),
 * the way a lab's web server or GitHub Pages would host it. No rewrites, no special headers:
 * if the build works here, it works on any static host. Used by the end-to-end tests.
 * `--isolate` adds the two headers that make the page cross-origin isolated (COOP same-origin,
 * COEP require-corp), as a server that can set headers would: then the wasm engine runs threads.
 *   node scripts/serveStatic.mjs [--root dist] [--base /studio/] [--port 4173] [--host 127.0.0.1] [--isolate]
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]?.startsWith('--') ? true : all[i + 1] ?? true]] : pairs), []));
const ISOLATION_HEADERS = args.isolate ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } : {};
const root = resolve(args.root ?? 'dist');
const base = args.base ?? '/studio/';
const port = Number(args.port ?? 4173);
const host = args.host ?? '127.0.0.1';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.bin': 'application/octet-stream', '.tif': 'image/tiff', '.webmanifest': 'application/manifest+json',
};

createServer((request, response) => {
  const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
  if (path === base.slice(0, -1)) {
    response.writeHead(301, { location: base }).end();
    return;
  }
  if (!path.startsWith(base)) {
    response.writeHead(404).end(`Not found: the studio lives under ${base}`);
    return;
  }
  let file = normalize(join(root, path.slice(base.length)));
  if (!file.startsWith(root + sep) && file !== root) {
    response.writeHead(403).end();
    return;
  }
  try {
    if (statSync(file).isDirectory()) file = join(file, 'index.html');
    const size = statSync(file).size;
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': size, ...ISOLATION_HEADERS });
    createReadStream(file).pipe(response);
  } catch {
    response.writeHead(404).end('Not found');
  }
}).listen(port, host, () => console.log(`Serving ${root} at http://${host}:${port}${base}`));
