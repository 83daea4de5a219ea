/**
 * Installs the studio's service worker (built app only) and, on the first visit to a host that sends
 * no isolation headers, reloads the page once when it takes over: from then on every response
 * carries them, so the page is cross-origin isolated and the wasm engine runs threads; the app is
 * cached too, so it opens offline. `?no-service-worker` removes it (troubleshooting).
 */
export type SetupOutcome = 'ready' | 'reloading';

const RELOADED_KEY = 'unet-studio.reloaded-for-isolation';
/** Longer than an install takes on a slow disk; then the studio starts without threads rather than wait. */
const TAKEOVER_TIMEOUT_MS = 15_000;

export async function setUpServiceWorker(): Promise<SetupOutcome> {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return 'ready';
  if (new URLSearchParams(location.search).has('no-service-worker')) {
    // Troubleshooting: remove it (it keeps serving this page until the next load).
    for (const registration of await navigator.serviceWorker.getRegistrations()) await registration.unregister();
    return 'ready';
  }
  let registration: ServiceWorkerRegistration;
  try {
    registration = await navigator.serviceWorker.register('./sw.js', { scope: './', type: 'module' });
  } catch (error) {
    console.warn('The offline cache and WebAssembly threads are off: the service worker could not be installed.', error);
    return 'ready';
  }
  // Isolated already (the server sends the headers, or the worker serves this page): nothing to do.
  if (crossOriginIsolated || navigator.serviceWorker.controller) return 'ready';
  // Reload once at most: a browser that will not isolate the page must not reload it for ever.
  if (sessionStorage.getItem(RELOADED_KEY)) return 'ready';
  const tookOver = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), TAKEOVER_TIMEOUT_MS);
    navigator.serviceWorker.addEventListener('controllerchange', () => { clearTimeout(timer); resolve(true); }, { once: true });
    // It took over before the listener was added.
    if (navigator.serviceWorker.controller) { clearTimeout(timer); resolve(true); }
    // Its install failed (a file it caches could not be fetched): start without it, now.
    const installing = registration.installing;
    installing?.addEventListener('statechange', () => { if (installing.state === 'redundant') { clearTimeout(timer); resolve(false); } });
  });
  if (!tookOver) return 'ready';
  sessionStorage.setItem(RELOADED_KEY, '1');
  location.reload();
  return 'reloading';
}
