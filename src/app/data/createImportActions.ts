import { StudioError } from '../../core/errors';
import { sliceOf } from '../../core/image/imageStack';
import type { LabelKind } from '../../core/labels/interpretLabels';
import { describeInterpretation, interpretationOf, interpretLabels, possibleKinds } from '../../core/labels/interpretLabels';
import type { StudioStore } from '../../store/createStudioStore';
import type { DataSlice, LabelFileSummary } from '../../store/slices/dataSlice';
import { NO_PAIRING } from '../../store/slices/dataSlice';
import { isolate } from '../../core/text/isolate';
import { showSlices } from './createDataActions';
import type { LabelFileReading } from './importFiles';
import { classNamesFor } from './importFiles';
import type { ImportRunner } from './importRunner';
import { inlineImportRunner } from './importRunner';
import type { SliceRegistry } from './sliceRegistry';

/** A dropped or picked file with its path inside any dropped folder ("labels/x.png"). */
export interface DroppedFile {
  readonly path: string;
  readonly file: Blob;
}

export interface ImportActions {
  /** Decodes, pairs and checks the files, then shows them (or says exactly which files failed and why). Never throws. */
  importFiles(files: readonly DroppedFile[]): Promise<void>;
  /**
   * Reads a label file of the import on screen another way (binary mask, classes, instance map),
   * asking first when labels painted on its slices since would be replaced. Never throws.
   */
  readLabelsAs(path: string, kind: LabelKind): Promise<void>;
  /**
   * Pairs a file of the import on screen by hand (`image` null: load it as an image of its own) and
   * reads the same files again with every pairing made so far, asking first when labels painted since
   * the import would be replaced. Never throws.
   */
  pairByHand(path: string, image: string | null): Promise<void>;
}

function summarise(reading: LabelFileReading): LabelFileSummary {
  return { path: reading.path, image: reading.image, kind: reading.interpretation.kind, kinds: possibleKinds(reading.distinct), description: describeInterpretation(reading.interpretation, reading.distinct) };
}

const sameValues = (a: Int32Array, b: Int32Array) => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * The import as the studio runs it: status 'reading', then the slices shown with a one-line summary
 * and how each label file was read, or, when no image at all could be used, status 'failed' with the
 * previous slices left in place.
 */
export function createImportActions(
  store: StudioStore, registry: SliceRegistry, confirm: (question: string) => boolean | Promise<boolean> = (question) => window.confirm(question),
  runImport: ImportRunner = inlineImportRunner,
): ImportActions {
  let latestRun = 0;
  /** The label files of the import on screen, with their values (kept out of the store). */
  let readings = new Map<string, LabelFileReading>();
  /** The import on screen's files (Blobs: references), read again when the user pairs by hand, and its pairings. */
  let shown: { files: readonly DroppedFile[]; byHand: Map<string, string | null>; painted: boolean; sliceIds: readonly string[] } | null = null;
  const setImport = (value: Omit<DataSlice['data']['import'], 'labelFiles' | 'pairing'>) => store.setState((s) => ({ data: { ...s.data, import: { ...value, labelFiles: [], pairing: NO_PAIRING } } }));
  const fail = (message: string) => store.setState((s) => ({ errors: [...s.errors, { code: 'invalid-labels', message, phase: 'reading labels' }] }));

  // Other data on screen (the example, a restored project): those label files no longer apply.
  registry.subscribe((change) => {
    // A stroke, fill or undo (not a label file read again: that is 'relabelled').
    if (change.kind === 'labels' && shown) shown.painted = true;
    if (change.kind !== 'replaced' || !shown) return;
    const ids = new Set(change.ids);
    if (shown.sliceIds.every((id) => ids.has(id))) return;
    readings = new Map();
    shown = null;
    store.setState((s) => ({ data: { ...s.data, import: { ...s.data.import, labelFiles: [], pairing: NO_PAIRING } } }));
  });

  const run = async (files: readonly DroppedFile[], byHand: Map<string, string | null>) => {
    const runNumber = ++latestRun;
    setImport({ status: 'reading', summary: null, problems: [] });
    try {
      const result = await runImport(files, byHand);
      if (runNumber !== latestRun) return; // a newer drop took over; its result is the one to show
      if (result.records.length === 0) {
        setImport({ status: 'failed', summary: result.summary, problems: result.problems });
        return;
      }
      showSlices(store, registry, result.records, null, result.classCounts);
      readings = new Map(result.labelFiles.map((r) => [r.path, r]));
      shown = { files, byHand, painted: false, sliceIds: result.records.map((r) => r.id) };
      const pairing = { ...result.pairing, byHand: [...byHand] };
      store.setState((s) => ({
        data: { ...s.data, classNames: result.classNames, import: { status: 'done', summary: result.summary, problems: result.problems, labelFiles: result.labelFiles.map(summarise), pairing } },
      }));
    } catch (error) {
      // Only a bug lands here (every file's failure is a problem above): say so where errors are shown.
      if (runNumber !== latestRun) return;
      const message = `The import stopped unexpectedly: ${error instanceof Error ? error.message : String(error)}`;
      setImport({ status: 'failed', summary: message, problems: [] });
      store.setState((s) => ({
        errors: [...s.errors, { code: error instanceof StudioError ? error.code : 'import-failed', message, phase: 'data import' }],
      }));
    }
  };

  return {
    importFiles: (files) => run(files, new Map()),

    async pairByHand(path, image) {
      if (!shown) return;
      const byHand = new Map(shown.byHand).set(path, image);
      // Reading the files again replaces the slices on screen: labels painted since the import would go.
      if (shown.painted) {
        const what = image === null ? `${isolate(path)} as an image of its own` : `${isolate(path)} as the labels of ${isolate(image)}`;
        if (!(await confirm(`Reading the files again with ${what} replaces the slices on screen and the labels painted on them since they were loaded. Pair them?`))) return;
      }
      await run(shown.files, byHand);
    },

    async readLabelsAs(path, kind) {
      const reading = readings.get(path);
      if (!reading || reading.interpretation.kind === kind) return;
      const interpretation = interpretationOf(kind, reading.distinct);
      let read;
      try {
        read = reading.sliceIds.map((_, z) => interpretLabels(sliceOf(reading.values, z), interpretation, isolate(path)));
      } catch (error) {
        fail(error instanceof Error ? error.message : String(error));
        return;
      }
      // Labels painted since the import would be lost: ask. (What the file gave is compared, slice by slice.)
      const painted = reading.sliceIds.filter((id, z) => {
        const record = registry.get(id);
        return record && !sameValues(record.classes, interpretLabels(sliceOf(reading.values, z), reading.interpretation).classes);
      });
      if (painted.length > 0) {
        const where = reading.sliceIds.length === 1 ? 'its slice' : `${painted.length} of its ${reading.sliceIds.length} slices`;
        const question = `Reading ${isolate(path)} again (${describeInterpretation(interpretation, reading.distinct)}) replaces the labels ` +
          `painted on ${where} since it was loaded. Read it again?`;
        if (!(await confirm(question))) return;
      }
      const updated = { ...reading, interpretation };
      readings.set(path, updated);
      reading.sliceIds.forEach((id, z) => registry.relabel(id, read[z]!.classes, read[z]!.instances));
      const fromFiles = classNamesFor([...readings.values()].map((r) => r.interpretation));
      // Never fewer classes than any slice's labels use (painted ones included), names kept where they exist.
      const classCount = Math.max(fromFiles.length, registry.largestClass() + 1);
      store.setState((s) => ({
        data: {
          ...s.data,
          classNames: classCount === s.data.classNames.length ? s.data.classNames
            : Array.from({ length: classCount }, (_, k) => (k < s.data.classNames.length ? s.data.classNames[k] : fromFiles[k]) ?? `class ${k}`),
          labelsRevision: s.data.labelsRevision + 1,
          labelsChange: null,
          slices: s.data.slices.map((slice) => {
            const record = registry.get(slice.id);
            return record ? { ...slice, labelled: registry.isLabelled(slice.id) } : slice;
          }),
          import: { ...s.data.import, labelFiles: s.data.import.labelFiles.map((f) => (f.path === path ? summarise(updated) : f)) },
        },
      }));
    },
  };
}
