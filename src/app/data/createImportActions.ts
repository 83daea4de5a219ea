import { StudioError } from '../../core/errors';
import type { StudioStore } from '../../store/createStudioStore';
import type { DataSlice } from '../../store/slices/dataSlice';
import { showSlices } from './createDataActions';
import { importFiles } from './importFiles';
import type { SliceRegistry } from './sliceRegistry';

/** A dropped or picked file with its path inside any dropped folder ("labels/x.png"). */
export interface DroppedFile {
  readonly path: string;
  readonly file: Blob;
}

export interface ImportActions {
  /** Decodes, pairs and checks the files, then shows them (or says exactly which files failed and why). Never throws. */
  importFiles(files: readonly DroppedFile[]): Promise<void>;
}

// One macrotask between files: the page repaints and answers clicks while big stacks decode.
const yieldToPage = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * The import as the studio runs it: status 'reading', then the slices shown with a one-line summary,
 * or, when no image at all could be used, status 'failed' with the previous slices left in place.
 */
export function createImportActions(store: StudioStore, registry: SliceRegistry): ImportActions {
  let latestRun = 0;
  const setImport = (value: DataSlice['data']['import']) => store.setState((s) => ({ data: { ...s.data, import: value } }));

  return {
    async importFiles(files) {
      const run = ++latestRun;
      setImport({ status: 'reading', summary: null, problems: [] });
      try {
        // Each Blob is read only when its turn comes, so a big folder is never all in memory at once.
        const inputs = files.map(({ path, file }) => ({ path, bytes: async () => new Uint8Array(await file.arrayBuffer()) }));
        const result = await importFiles(inputs, { betweenFiles: yieldToPage });
        if (run !== latestRun) return; // a newer drop took over; its result is the one to show
        if (result.records.length === 0) {
          setImport({ status: 'failed', summary: result.summary, problems: result.problems });
          return;
        }
        showSlices(store, registry, result.records);
        store.setState((s) => ({
          data: { ...s.data, classNames: result.classNames, import: { status: 'done', summary: result.summary, problems: result.problems } },
        }));
      } catch (error) {
        // Only a bug lands here (every file's failure is a problem above): say so where errors are shown.
        if (run !== latestRun) return;
        const message = `The import stopped unexpectedly: ${error instanceof Error ? error.message : String(error)}`;
        setImport({ status: 'failed', summary: message, problems: [] });
        store.setState((s) => ({
          errors: [...s.errors, { code: error instanceof StudioError ? error.code : 'import-failed', message, phase: 'data import' }],
        }));
      }
    },
  };
}
