/// <reference lib="webworker" />
import { StudioError } from '../core/errors';
import type { EngineEvent, EngineRequest } from './protocol';
import { selectBackend } from './selectBackend';
import { forwardParityWithCpu, trainSelfTest } from './selfTest';

/**
 * The engine worker: a thin switch over the protocol. All tfjs work happens
 * here, never on the page's main thread. Requests run one at a time, in order,
 * because some of them switch the tfjs backend.
 */
declare const self: DedicatedWorkerGlobalScope;

const post = (event: EngineEvent) => self.postMessage(event);
let queue: Promise<void> = Promise.resolve();

self.onmessage = (message: MessageEvent<EngineRequest>) => {
  const request = message.data;
  queue = queue.then(() => handle(request)).catch((error: unknown) => {
    post({ type: 'error', runId: request.runId, error: toErrorData(error, phaseOf(request)) });
  });
};

async function handle(request: EngineRequest): Promise<void> {
  switch (request.type) {
    case 'engine/init': {
      const report = await selectBackend(request.backends);
      post({ type: 'engine/ready', runId: request.runId, report });
      return;
    }
    case 'selftest/parity': {
      const result = await forwardParityWithCpu(request.config, request.seed);
      post({ type: 'selftest/parity-result', runId: request.runId, ...result });
      return;
    }
    case 'selftest/train': {
      const { runId } = request;
      const result = await trainSelfTest(request.config, request.steps, request.learningRate, request.seed, (step, loss, elapsedMs) =>
        post({ type: 'selftest/train-step', runId, step, loss, elapsedMs }),
      );
      post({ type: 'selftest/train-done', runId, ...result });
      return;
    }
    default: {
      const unknown: never = request;
      throw new Error(`Unknown engine request ${JSON.stringify(unknown)}`);
    }
  }
}

function phaseOf(request: EngineRequest): string {
  switch (request.type) {
    case 'engine/init': return 'start-up';
    case 'selftest/parity': return 'engine check (GPU vs CPU)';
    case 'selftest/train': return 'engine check (training)';
    default: return 'engine';
  }
}

function toErrorData(error: unknown, phase: string) {
  if (error instanceof StudioError) return { code: error.code, message: error.message, phase };
  return { code: 'engine-failure', message: error instanceof Error ? error.message : String(error), phase };
}
