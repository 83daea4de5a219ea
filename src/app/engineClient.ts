import engineWorkerUrl from '../engine/engine.worker.ts?worker&url';
import type { BackendName, EngineEvent, EngineRequest } from '../engine/protocol';
import { startWorker } from './startWorker';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type EngineRequestBody = DistributiveOmit<EngineRequest, 'runId'>;
export type EngineListener = (event: EngineEvent) => void;

/**
 * The page's handle on the engine worker: sends requests with fresh run ids and
 * fans events out to listeners. Created once at start-up, never inside a component.
 */
export class EngineClient {
  private readonly worker: Worker;
  private readonly listeners = new Set<EngineListener>();
  private nextRun = 1;

  constructor(worker: Worker = startWorker(engineWorkerUrl, 'engine')) {
    this.worker = worker;
    this.worker.onmessage = (message: MessageEvent<EngineEvent>) => this.listeners.forEach((l) => l(message.data));
    this.worker.onerror = (error) => {
      const event: EngineEvent = {
        type: 'error',
        runId: 'worker',
        error: { code: 'worker-crashed', message: error.message || 'The engine worker stopped unexpectedly.', phase: 'engine' },
      };
      this.listeners.forEach((l) => l(event));
    };
  }

  /** Sends a request; returns its run id, which every event about it carries. */
  send(body: EngineRequestBody): string {
    const runId = `run-${this.nextRun++}`;
    this.worker.postMessage({ ...body, runId } as EngineRequest);
    return runId;
  }

  subscribe(listener: EngineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  init(backends?: readonly BackendName[]): string {
    return this.send(backends ? { type: 'engine/init', backends } : { type: 'engine/init' });
  }

  terminate(): void {
    this.worker.terminate();
  }
}
