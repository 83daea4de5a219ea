import type { StudioStore } from '../../store/createStudioStore';
import type { SliceRegistry } from './sliceRegistry';

/** A dropped or picked file with its path inside any dropped folder ("labels/x.png"). */
export interface DroppedFile {
  readonly path: string;
  readonly file: Blob;
}

export interface ImportActions {
  /** Decodes, pairs and checks the files, then shows them (or says exactly which files failed and why). */
  importFiles(files: readonly DroppedFile[]): Promise<void>;
}

// STUB (helper: data import) — replaced by the real implementation.
export function createImportActions(_store: StudioStore, _registry: SliceRegistry): ImportActions {
  return { importFiles: async () => { throw new Error('importFiles: not implemented yet'); } };
}
