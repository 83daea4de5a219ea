import { describe, expect, it } from 'vitest';
import { cachedOnFirstUse, cacheName, ISOLATION_HEADERS, pathInScope, strategyFor, withIsolationHeaders } from './offlineRules';

const scope = 'http://127.0.0.1:4173/studio/';
const request = (url: string, mode = 'cors', method = 'GET') => ({ url, mode, method });

describe('the service worker\'s rules', () => {
  it('serves pages network-first and built files cache-first, in its scope only', () => {
    expect(strategyFor(request('http://127.0.0.1:4173/studio/?test-hooks', 'navigate'), scope)).toBe('page');
    expect(strategyFor(request('http://127.0.0.1:4173/studio/assets/index-abc.js'), scope)).toBe('asset');
    expect(strategyFor(request('http://127.0.0.1:4173/studio/assets/x.wasm', 'same-origin'), scope)).toBe('asset');
    expect(strategyFor(request('http://127.0.0.1:4173/other/', 'navigate'), scope)).toBe('pass');
    expect(strategyFor(request('http://127.0.0.1:9999/studio/x.js'), scope)).toBe('pass');
    expect(strategyFor(request('http://127.0.0.1:4173/studio/x', 'cors', 'POST'), scope)).toBe('pass');
  });

  it('adds the cross-origin isolation headers, keeping body, status and the other headers', async () => {
    const response = withIsolationHeaders(new Response('body', { status: 200, headers: { 'content-type': 'text/javascript' } }));
    for (const [name, value] of Object.entries(ISOLATION_HEADERS)) expect(response.headers.get(name)).toBe(value);
    expect(response.headers.get('content-type')).toBe('text/javascript');
    expect(await response.text()).toBe('body');
    const redirect = Response.redirect('http://127.0.0.1:4173/studio/', 301);
    expect(withIsolationHeaders(redirect)).toBe(redirect);
    expect(cacheName('7e2fd3248d00')).toBe('unet-studio-7e2fd3248d00');
  });

  it('caches the starter models on first use, not at install, and knows a path below the scope', () => {
    expect(cachedOnFirstUse('starters/nuclei/model.weights.bin')).toBe(true);
    expect(cachedOnFirstUse('assets/index-abc.js')).toBe(false);
    expect(cachedOnFirstUse('assets/ort-wasm-simd-threaded-Bx12.wasm')).toBe(true); // onnxruntime-web: third-party models only
    expect(cachedOnFirstUse('assets/ort.wasm.bundle.min-D42Os-Zt.js')).toBe(true);
    expect(cachedOnFirstUse('assets/tfjs-backend-wasm-simd-C3.wasm')).toBe(false);
    expect(pathInScope('https://lab.example/studio/starters/em/model.json', 'https://lab.example/studio/')).toBe('starters/em/model.json');
    expect(pathInScope('https://lab.example/other/x.js', 'https://lab.example/studio/')).toBeNull();
  });
});
