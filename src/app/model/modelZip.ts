import { unzipSync, zipSync, type Zippable } from 'fflate';
import { StudioError } from '../../core/errors';
import { isolate } from '../../core/text/isolate';
import type { ModelFiles } from '../../core/model/modelFiles';

/** A file's name (no folders) and its bytes. */
export interface NamedBytes {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export const MODEL_JSON_NAME = 'model.json';
export const MODEL_METADATA_NAME = 'model.metadata.json';
export const MODEL_ZIP_NAME = 'unet-model.zip';

/** The three files of an export: model.json, the weights file its manifest names, and the metadata on its own. */
export function modelFileEntries(files: ModelFiles): NamedBytes[] {
  const text = new TextEncoder();
  return [
    { name: MODEL_JSON_NAME, bytes: text.encode(files.modelJson) },
    { name: files.weightsFileName, bytes: new Uint8Array(files.weights) },
    { name: MODEL_METADATA_NAME, bytes: text.encode(files.metadataJson) },
  ];
}

export function zipModelFiles(files: ModelFiles): Uint8Array {
  return zipNamedFiles(modelFileEntries(files));
}

/**
 * One zip of flat files. Weights and PNGs barely compress and Deflate over 100+ MB of weights
 * would hold the page for seconds, so those are stored as they are; text is deflated.
 */
export function zipNamedFiles(entries: readonly NamedBytes[]): Uint8Array {
  const zippable: Zippable = {};
  for (const { name, bytes } of entries) {
    if (name in zippable) throw new StudioError('shape-mismatch', `Two files in one zip would both be named ${isolate(name)}.`);
    zippable[name] = [bytes, { level: /\.(bin|png|tif)$/i.test(name) ? 0 : 6 }];
  }
  return zipSync(zippable);
}

/**
 * The files in a zip, by base name: folders are flattened (people zip the folder holding
 * model.json), directory entries and macOS's __MACOSX / dot-file clutter are skipped.
 */
export function unzipEntries(bytes: Uint8Array, zipName: string): NamedBytes[] {
  let unzipped: Record<string, Uint8Array>;
  try {
    unzipped = unzipSync(bytes);
  } catch (error) {
    throw new StudioError('decode-failed', `${isolate(zipName)} could not be read as a zip file (${error instanceof Error ? error.message : String(error)}).`);
  }
  return Object.entries(unzipped)
    .filter(([path]) => !path.endsWith('/') && !path.startsWith('__MACOSX/') && !baseName(path).startsWith('.'))
    .map(([path, data]) => ({ name: baseName(path), bytes: data }));
}

export function isZipName(name: string): boolean {
  return name.toLowerCase().endsWith('.zip');
}

/** "./model.weights.bin", "sub/model.weights.bin" and "C:\\x\\model.weights.bin" all name model.weights.bin. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
