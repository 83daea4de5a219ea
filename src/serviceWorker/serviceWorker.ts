/// <reference lib="webworker" />
import { cachedOnFirstUse, cacheName, pathInScope, strategyFor, withIsolationHeaders } from './offlineRules';

/**
 * The studio's service worker (built to sw.js beside index.html; vite.config.ts fills in the file
 * list): cross-origin isolation headers on everything it serves, and the built app cached at install
 * (the starter models when first used), so the studio opens, trains and predicts with the network
 * off after the first visit.
 * It never touches another origin's requests (there are none: the CSP allows none).
 */
declare const self: ServiceWorkerGlobalScope;

/** Every file of the build, relative to the scope; replaced at build time. */
const PRECACHE: readonly string[] = JSON.parse('__UNET_STUDIO_PRECACHE__') as string[];
const BUILD_ID = '__UNET_STUDIO_BUILD_ID__';
const CACHE = cacheName(BUILD_ID);
const INDEX = 'index.html';

const scoped = (path: string) => new URL(path, self.registration.scope).href;

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    await (await caches.open(CACHE)).addAll(PRECACHE.map(scoped));
    // The first install takes over at once (the page reloads into isolation). A new build waits until
    // the tabs of the old one are closed: those still load files only the old build has.
    if (!self.registration.active) await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name.startsWith('unet-studio-') && name !== CACHE) await caches.delete(name);
    await self.clients.claim(); // the open page is served from here at once (its one reload then makes it isolated)
  })());
});

self.addEventListener('fetch', (event) => {
  const strategy = strategyFor(event.request, self.registration.scope);
  if (strategy === 'pass') return;
  event.respondWith(answer(event.request, strategy).then(withIsolationHeaders));
});

async function answer(request: Request, strategy: 'page' | 'asset'): Promise<Response> {
  const cache = await caches.open(CACHE);
  if (strategy === 'asset') {
    const cached = await cache.match(request, { ignoreSearch: true });
    if (cached) return cached;
    const response = await fetch(request);
    const path = pathInScope(request.url, self.registration.scope);
    if (response.ok && path !== null && cachedOnFirstUse(path)) await cache.put(request, response.clone()).catch(() => undefined); // a full quota only costs the offline copy
    return response;
  }
  try {
    return await fetch(request);
  } catch (error) {
    // Offline: the app's page from the cache (any URL in scope is the one-page app).
    const cached = await cache.match(scoped(INDEX));
    if (cached) return cached;
    throw error;
  }
}
