/**
 * What the studio's service worker does with a request, as plain functions (unit-tested in Node;
 * serviceWorker.ts is the glue). It serves one purpose each for static hosts that cannot set
 * headers: the two cross-origin isolation headers on every response it hands out (the wasm engine
 * needs them for threads), and the built app from its cache, so the studio opens with the network
 * off after the first visit.
 */

/** Cross-origin isolation: COOP same-origin + COEP require-corp (then SharedArrayBuffer exists). */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export type Strategy =
  /** A page: the network first (a new version shows at once), the cached index.html when offline. */
  | 'page'
  /** A built file (hashed name, never changes): the cache first, the network when it is not there. */
  | 'asset'
  /** Not ours to handle (another origin, not a GET): the browser's own way. */
  | 'pass';

/** How to answer `request`, for a service worker whose scope is `scope` (the app's base URL). */
export function strategyFor(request: { readonly method: string; readonly url: string; readonly mode: string }, scope: string): Strategy {
  if (request.method !== 'GET') return 'pass';
  const url = new URL(request.url);
  const base = new URL(scope);
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) return 'pass';
  return request.mode === 'navigate' ? 'page' : 'asset';
}

/** The same response with the isolation headers added (a redirect or an opaque response is left as it is). */
export function withIsolationHeaders(response: Response): Response {
  if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0 || (response.status >= 300 && response.status < 400)) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/**
 * Built files that are not cached at install but when first fetched: the starter models (about 16 MB)
 * and onnxruntime-web (its 14 MB wasm binary and its code, only for an imported third-party ONNX model), which
 * most visits never use. Caching them at install made every first visit download them, and filled a
 * small storage quota that the project's autosave needs.
 */
export function cachedOnFirstUse(relativePath: string): boolean {
  return relativePath.startsWith('starters/') || /^assets\/ort[.-][^/]*$/.test(relativePath);
}

/** The path of `url` below the scope (the app's base URL), e.g. "starters/em/model.json"; null outside it. */
export function pathInScope(url: string, scope: string): string | null {
  const { pathname } = new URL(url);
  const base = new URL(scope).pathname;
  return pathname.startsWith(base) ? pathname.slice(base.length) : null;
}

/** The cache for one build: a new build gets a new cache, and the old ones are deleted when it takes over. */
export function cacheName(buildId: string): string {
  return `unet-studio-${buildId}`;
}
