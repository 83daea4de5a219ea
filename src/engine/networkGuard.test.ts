import { describe, expect, it, vi } from 'vitest';
import type { WorkerNetworkScope } from './networkGuard';
import { BlockedRequestError, installNetworkGuard, staysLocal } from './networkGuard';

/** A worker scope as a blob: bootstrap gives it: its own URL is the blob, its origin the page's. */
function blobWorkerScope() {
  const fetched: string[] = [];
  const opened: string[] = [];
  class FakeXhr {
    open(_method: string, url: string) { opened.push(url); }
  }
  const scope = {
    location: { href: 'blob:http://127.0.0.1:4173/5f0c-uuid', origin: 'http://127.0.0.1:4173' },
    fetch: vi.fn((input: RequestInfo | URL) => { fetched.push(String(input)); return Promise.resolve(new Response('ok')); }),
    XMLHttpRequest: FakeXhr as unknown as typeof XMLHttpRequest,
    WebSocket: class {},
    EventSource: class { constructor(readonly url: string) {} },
    importScripts: vi.fn(),
  };
  return { scope: scope as unknown as WorkerNetworkScope, fetched, opened };
}

describe('the workers\' network guard', () => {
  it('tells local URLs (the page\'s origin, blob: and data:) from everything else', () => {
    const { scope } = blobWorkerScope();
    expect(staysLocal('http://127.0.0.1:4173/studio/assets/tfjs-backend-wasm.wasm', scope)).toBe(true);
    expect(staysLocal('blob:http://127.0.0.1:4173/other-uuid', scope)).toBe(true);
    expect(staysLocal('data:application/octet-stream;base64,AAAA', scope)).toBe(true);
    expect(staysLocal('http://127.0.0.1:4180/leak', scope)).toBe(false); // another port is another origin
    expect(staysLocal('https://cdn.jsdelivr.net/npm/@tensorflow/tfjs-backend-wasm/dist/x.wasm', scope)).toBe(false);
    expect(staysLocal('blob:https://evil.example/uuid', scope)).toBe(false);
    expect(staysLocal('/studio/assets/x.wasm', scope)).toBe(true); // placed on the page's origin
    expect(staysLocal('//example.org/x.js', scope)).toBe(false);
  });

  it('lets local requests through and refuses every other one, before it is sent', async () => {
    const { scope, fetched, opened } = blobWorkerScope();
    expect(installNetworkGuard(scope)).toBe(true);
    expect(installNetworkGuard(scope)).toBe(false); // once is enough

    await expect(scope.fetch!('http://127.0.0.1:4173/studio/model.json')).resolves.toBeInstanceOf(Response);
    await expect(scope.fetch!('https://example.org/collect')).rejects.toBeInstanceOf(BlockedRequestError);
    await expect(scope.fetch!(new Request('https://example.org/collect'))).rejects.toThrow(/Blocked a request to https:\/\/example\.org\/collect: .*own origin \(http:\/\/127\.0\.0\.1:4173\) only/);
    await expect(scope.fetch!({ toString: () => 'https://example.org/collect' } as unknown as string)).rejects.toBeInstanceOf(BlockedRequestError);
    expect(fetched).toEqual(['http://127.0.0.1:4173/studio/model.json']);

    const xhr = new scope.XMLHttpRequest!();
    xhr.open('GET', 'http://127.0.0.1:4173/studio/x.bin');
    expect(() => xhr.open('POST', 'https://example.org/upload')).toThrow(BlockedRequestError);
    expect(opened).toEqual(['http://127.0.0.1:4173/studio/x.bin']);

    expect(() => new (scope.WebSocket as new (url: string) => unknown)('ws://127.0.0.1:4173/socket')).toThrow(BlockedRequestError);
    expect(() => new (scope.EventSource as new (url: string) => unknown)('https://example.org/events')).toThrow(BlockedRequestError);
    expect(() => scope.importScripts!('https://example.org/tracker.js')).toThrow(BlockedRequestError);

    // Code that runs later cannot put the originals back.
    expect(() => { (scope as { fetch: unknown }).fetch = () => Promise.resolve(); }).toThrow(TypeError);
  });
});
