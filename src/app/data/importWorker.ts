/// <reference lib="webworker" />
import '../../engine/guardWorkerNetwork'; // first: nothing below may reach the network
import type { ImportResult } from './importFiles';
import { importFiles } from './importFiles';
import { sliceLimitPixels } from '../../core/io/sliceSizeLimit';

/**
 * Decodes, pairs and checks dropped files off the page's main thread (a 20-slice TIFF stack or a
 * big PNG decodes for seconds): the page stays responsive, and gets the slices' buffers moved,
 * not copied. One worker per import; the page ends it when the answer is in.
 */
declare const self: DedicatedWorkerGlobalScope;

export interface ImportRequest {
  readonly files: readonly { readonly path: string; readonly file: Blob }[];
  /** Pairings by hand: [label file, image or null] (a Map does not survive structured cloning as plainly). */
  readonly pairedByHand: readonly (readonly [string, string | null])[];
}

export type ImportReply = { readonly result: ImportResult } | { readonly error: string };

self.onmessage = async (message: MessageEvent<ImportRequest>) => {
  try {
    const inputs = message.data.files.map(({ path, file }) => ({ path, bytes: async () => new Uint8Array(await file.arrayBuffer()) }));
    // navigator.deviceMemory (Chromium): a device with little memory refuses big slices sooner, naming why.
    const deviceMemory = (self.navigator as WorkerNavigator & { deviceMemory?: number }).deviceMemory;
    const result = await importFiles(inputs, { maxSlicePixels: sliceLimitPixels(deviceMemory), pairedByHand: new Map(message.data.pairedByHand) });
    self.postMessage({ result } satisfies ImportReply, transferablesOf(result));
  } catch (error) {
    self.postMessage({ error: error instanceof Error ? error.message : String(error) } satisfies ImportReply);
  }
};

/** Every buffer the result holds, once each (a buffer listed twice cannot be transferred). */
function transferablesOf(result: ImportResult): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const add = (array: { buffer: ArrayBufferLike } | null | undefined) => { if (array?.buffer instanceof ArrayBuffer) buffers.add(array.buffer); };
  for (const record of result.records) {
    add(record.pixels);
    add(record.classes);
    add(record.instances);
  }
  for (const reading of result.labelFiles) add(reading.values.data);
  return [...buffers];
}
