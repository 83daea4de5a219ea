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
  /** Requests waiting behind one being prepared (sendPrepared): they go out in the order they were sent. */
  private waiting: Promise<void> = Promise.resolve();
  private waitingCount = 0;

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

  /**
   * Sends a request; returns its run id, which every event about it carries. `transfer`: buffers moved to
   * the worker, not copied (the caller gives them up). Behind a request still being prepared, it waits its turn.
   */
  send(body: EngineRequestBody, transfer: Transferable[] = []): string {
    const runId = `run-${this.nextRun++}`;
    const message = { ...body, runId } as EngineRequest;
    if (this.waitingCount === 0) this.worker.postMessage(message, transfer);
    else this.inTurn(async () => this.worker.postMessage(message, transfer));
    return runId;
  }

  /**
   * Sends what `prepare` makes (over several tasks: a big slice copied a part at a time), after every
   * request sent before; requests sent meanwhile wait behind it, so the engine sees them in order (a
   * prediction never reaches it before its slice). `prepare` may return null to send nothing.
   */
  sendPrepared(prepare: () => Promise<{ body: EngineRequestBody; transfer: Transferable[] } | null>): void {
    this.inTurn(async () => {
      const made = await prepare();
      if (made) this.worker.postMessage({ ...made.body, runId: `run-${this.nextRun++}` } as EngineRequest, made.transfer);
    });
  }

  private inTurn(task: () => Promise<void>): void {
    this.waitingCount++;
    this.waiting = this.waiting.then(task).catch((error: unknown) => {
      const event: EngineEvent = { type: 'error', runId: 'page', error: { code: 'internal', message: `A request to the engine could not be sent: ${error instanceof Error ? error.message : String(error)}`, phase: 'engine' } };
      this.listeners.forEach((l) => l(event));
    }).finally(() => { this.waitingCount--; });
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
