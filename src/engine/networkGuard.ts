/**
 * Nothing leaves the machine, from a worker either. The page's Content-Security-Policy reaches our
 * workers because they start from a blob: bootstrap (startWorker.ts), which inherits it; this guard
 * is the second line, for where no policy applies (the dev server, a browser that does not pass it
 * on): it replaces the worker's network APIs with ones that refuse every URL outside the page's
 * origin. Import it first in each worker entry, before any library can keep the originals.
 */

/** The network APIs a worker scope may offer (each optional: not every browser has each). */
export interface WorkerNetworkScope {
  location: { readonly href: string; readonly origin: string };
  fetch?: typeof fetch;
  XMLHttpRequest?: typeof XMLHttpRequest;
  WebSocket?: unknown;
  EventSource?: unknown;
  WebTransport?: unknown;
  importScripts?: (...urls: string[]) => void;
}

export class BlockedRequestError extends TypeError {
  override readonly name = 'BlockedRequestError';
}

/** Whether `url` stays on this machine: the page's origin, or a blob: / data: URL. */
export function staysLocal(url: string | URL, scope: Pick<WorkerNetworkScope, 'location'>): boolean {
  let parsed: URL;
  try {
    // A blob: worker's own URL cannot be a base: a relative URL is then placed on the origin (where fetch would put it, if anywhere).
    parsed = new URL(String(url), scope.location.href.startsWith('blob:') ? `${scope.location.origin}/` : scope.location.href);
  } catch {
    return false;
  }
  if (parsed.protocol === 'data:') return true;
  if (parsed.protocol === 'blob:') {
    try {
      return new URL(parsed.pathname).origin === scope.location.origin;
    } catch {
      return false;
    }
  }
  return parsed.origin === scope.location.origin;
}

const refusal = (url: string, origin: string) =>
  new BlockedRequestError(`Blocked a request to ${url}: U-Net Studio's workers talk to their own origin (${origin}) only.`);

function lock(scope: object, name: string, value: unknown): void {
  Object.defineProperty(scope, name, { value, writable: false, configurable: false, enumerable: true });
}

/** Installs the guard on `scope` (the worker's global); returns false when it was installed already. */
export function installNetworkGuard(scope: WorkerNetworkScope): boolean {
  const marker = Symbol.for('unet-studio.network-guard');
  if ((scope as unknown as Record<symbol, unknown>)[marker]) return false;
  lock(scope, marker as unknown as string, true);
  const { origin } = scope.location;
  const realFetch = scope.fetch?.bind(scope);
  if (realFetch) {
    lock(scope, 'fetch', (input: RequestInfo | URL, init?: RequestInit) => {
      // fetch turns anything but a Request into a string; so does the check (an object with a toString is a URL to fetch).
      const url = typeof Request !== 'undefined' && input instanceof Request ? input.url : String(input);
      return staysLocal(url, scope) ? realFetch(input, init) : Promise.reject(refusal(url, origin));
    });
  }
  const RealXhr = scope.XMLHttpRequest;
  if (RealXhr) {
    lock(scope, 'XMLHttpRequest', class GuardedXMLHttpRequest extends RealXhr {
      override open(method: string, url: string | URL, ...rest: [boolean?, (string | null)?, (string | null)?]): void {
        if (!staysLocal(url, scope)) throw refusal(String(url), origin);
        (super.open as (...args: unknown[]) => void)(method, url, ...rest);
      }
    });
  }
  // Sockets and streams to a server have no local use here: refuse them all.
  for (const name of ['WebSocket', 'WebTransport'] as const) {
    if (scope[name] !== undefined) lock(scope, name, function Refused(url: string) { throw refusal(String(url), origin); });
  }
  const RealEventSource = scope.EventSource as (new (url: string | URL, init?: EventSourceInit) => EventSource) | undefined;
  if (RealEventSource) {
    lock(scope, 'EventSource', function GuardedEventSource(url: string | URL, init?: EventSourceInit) {
      if (!staysLocal(url, scope)) throw refusal(String(url), origin);
      return new RealEventSource(url, init);
    });
  }
  const realImportScripts = scope.importScripts?.bind(scope);
  if (realImportScripts) {
    lock(scope, 'importScripts', (...urls: string[]) => {
      const foreign = urls.find((url) => !staysLocal(url, scope));
      if (foreign !== undefined) throw refusal(foreign, origin);
      realImportScripts(...urls);
    });
  }
  return true;
}
