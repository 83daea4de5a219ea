import { startWorker } from '../startWorker';
import type { DroppedFile } from './createImportActions';
import type { PairedByHand } from '../../core/labels/pairFiles';
import type { ImportResult } from './importFiles';
import { importFiles } from './importFiles';
import type { ImportReply, ImportRequest } from './importWorker';
import importWorkerUrl from './importWorker.ts?worker&url';

/** Runs importFiles somewhere: in a worker in the page, inline in tests. */
export type ImportRunner = (files: readonly DroppedFile[], pairedByHand?: PairedByHand) => Promise<ImportResult>;

// Inline, one macrotask between files: the page repaints and answers clicks while stacks decode.
const yieldToPage = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** On the calling thread (Node tests; the page uses the worker). Each Blob is read only when its turn comes. */
export const inlineImportRunner: ImportRunner = (files, pairedByHand) =>
  importFiles(files.map(({ path, file }) => ({ path, bytes: async () => new Uint8Array(await file.arrayBuffer()) })), { betweenFiles: yieldToPage, ...(pairedByHand ? { pairedByHand } : {}) });

/**
 * Each import in a fresh worker (the files go as Blobs: references, not bytes), ended when it
 * answers; a newer import ends an older one still running, whose promise then rejects.
 */
export function createWorkerImportRunner(makeWorker: () => Worker = () => startWorker(importWorkerUrl, 'import')): ImportRunner {
  let running: { worker: Worker; reject: (error: Error) => void } | null = null;
  return (files, pairedByHand) => new Promise<ImportResult>((resolve, reject) => {
    if (running) {
      running.worker.terminate();
      running.reject(new Error('A newer import replaced this one.'));
    }
    const worker = makeWorker();
    const current = { worker, reject };
    running = current;
    const finish = () => {
      worker.terminate();
      if (running === current) running = null;
    };
    worker.onmessage = (message: MessageEvent<ImportReply>) => {
      finish();
      if ('result' in message.data) resolve(message.data.result);
      else reject(new Error(message.data.error));
    };
    worker.onerror = (event) => {
      finish();
      reject(new Error(event.message || 'The import worker stopped (out of memory?).'));
    };
    worker.postMessage({ files: files.map(({ path, file }) => ({ path, file })), pairedByHand: [...(pairedByHand ?? [])] } satisfies ImportRequest);
  });
}
