import type { EngineEvent } from '../engine/protocol';
import type { EngineClient, EngineRequestBody } from '../app/engineClient';

/** An EngineClient for page-side tests: what the page sends is kept in `sent`, and `emit` plays an engine event back. */
export function fakeEngine(): { engine: EngineClient; sent: EngineRequestBody[]; emit: (event: EngineEvent) => void } {
  const sent: EngineRequestBody[] = [];
  const listeners = new Set<(e: EngineEvent) => void>();
  const engine = {
    send: (body: EngineRequestBody) => { sent.push(body); return `run-${sent.length}`; },
    init: () => 'run-init',
    subscribe: (l: (e: EngineEvent) => void) => { listeners.add(l); return () => listeners.delete(l); },
  } as unknown as EngineClient;
  return { engine, sent, emit: (event) => listeners.forEach((l) => l(event)) };
}
