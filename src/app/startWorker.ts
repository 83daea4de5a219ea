/**
 * Starts a module worker from a tiny blob: script that imports the real one. A worker started from
 * its own URL gets no Content-Security-Policy on a static host (the page's meta tag does not reach
 * it, and such hosts send no headers), so its requests could go anywhere; a blob: worker inherits
 * the page's policy (measured in Chromium: a foreign fetch from the worker is blocked, one from
 * its own origin is not). `scriptUrl` comes from Vite's `?worker&url` import.
 */
export function startWorker(scriptUrl: string, name: string): Worker {
  const absolute = new URL(scriptUrl, location.href).href;
  const bootstrap = URL.createObjectURL(new Blob([`import ${JSON.stringify(absolute)};\n`], { type: 'text/javascript' }));
  const worker = new Worker(bootstrap, { type: 'module', name });
  // The worker has fetched its bootstrap once it speaks or fails; the blob URL is not needed after that.
  const release = () => URL.revokeObjectURL(bootstrap);
  worker.addEventListener('message', release, { once: true });
  worker.addEventListener('error', release, { once: true });
  return worker;
}
