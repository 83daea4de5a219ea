import type { ModelFiles } from '../../core/model/modelFiles';
import type { StudioStore } from '../../store/createStudioStore';
import type { ProjectSlice } from '../../store/slices/projectSlice';
import { showSlices } from '../data/createDataActions';
import type { SliceRegistry } from '../data/sliceRegistry';
import type { EngineClient } from '../engineClient';
import type { PredictionRegistry } from '../predict/predictionRegistry';
import { AutosaveWriter } from './autosaveWriter';
import { Debouncer } from './debouncer';
import { isolate } from '../../core/text/isolate';
import type { SavedProject } from './projectDb';
import type { MissingSlice } from './projectDb';
import { describeError, PersistenceUnavailableError, ProjectDb } from './projectDb';
import type { PixelRect } from './sliceChunks';
import { askBrowserToPersist, claimProjectWithWebLock } from './browserStorage';
import { leaveImportReport, takeImportReport } from './importReport';
import { PredictionAutosave } from './predictionAutosave';
import type { WholeProject } from './writeWholeProject';
import { writeWholeProject } from './writeWholeProject';
import { metaChanged, metaFromState, restoredMetaState } from './projectMeta';

export interface ProjectActions {
  /** Clears the saved project and the page (the UI asks for confirmation first). */
  newProject(): Promise<void>;
  /** Whether leaving now could lose work: a write not on disk yet or failed, or labels painted where autosave is off. */
  hasUnsavedWork(): boolean;
  /**
   * Stores a checked project in place of the saved one and reloads the page into it; after the
   * reload `report` is shown. Rejects, with the page's own project stored again, when a write fails.
   */
  replaceProject(project: WholeProject, report: string): Promise<void>;
}


/** What tests (and only tests) replace. */
export interface PersistenceOptions {
  /** Opens the project database; default ProjectDb.open() on the page's IndexedDB. */
  readonly openDb?: () => Promise<ProjectDb>;
  /** Starts the page afresh after "New project"; default location.reload(). */
  readonly reload?: () => void;
  /** Quiet time before the meta (current slice, classes, training history and choices) is saved. */
  readonly metaDelayMs?: number;
  readonly now?: () => Date;
  /**
   * Asks the browser to keep the project's storage under pressure; resolves with the answer, or
   * null where the browser has no such API. Default: navigator.storage.persisted() / persist().
   */
  readonly requestPersistentStorage?: () => Promise<boolean | null>;
  /**
   * Claims the saved project for this tab until it closes: false when another tab has it, null
   * where the browser cannot tell. Default: an exclusive Web Lock.
   */
  readonly claimProject?: () => Promise<boolean | null>;
}

const META_DELAY_MS = 500;

/**
 * Restores the saved project into the registry, the store and the engine, then autosaves every
 * change: the slices on replace (one after another, each on its own), the label tiles a stroke
 * touched at once (issued in the stroke's own task, so a reload or crash right after it loses
 * nothing), the meta after the store settles, the model whenever the engine exports one (and after
 * training or a user import, it asks for one), each finished prediction (queued, PredictionAutosave).
 * Leaving the page while anything is not yet on disk asks first.
 */
export function connectPersistence(store: StudioStore, slices: SliceRegistry, predictions: PredictionRegistry, engine: EngineClient,
  options: PersistenceOptions = {}): ProjectActions {
  const openDb = options.openDb ?? (() => ProjectDb.open());
  const reload = options.reload ?? (() => location.reload());
  const now = options.now ?? (() => new Date());
  const metaDebouncer = new Debouncer(options.metaDelayMs ?? META_DELAY_MS);
  const setProject = (patch: Partial<ProjectSlice['project']>) => store.setState((s) => ({ project: { ...s.project, ...patch } }));

  let db: ProjectDb | null = null;
  /** True while restored data goes in: those changes are what is saved already. */
  let applyingRestore = false;
  let userReplacedDuringRestore = false;
  let restoreModelRunId: string | null = null;
  /** Labels painted where nothing can be saved (another tab owns the project, or no IndexedDB). */
  let paintedWithoutAutosave = false;

  // Once something has been saved (there is data worth keeping), ask to keep it; once per page.
  const requestPersistentStorage = options.requestPersistentStorage ?? askBrowserToPersist;
  const claimProject = options.claimProject ?? claimProjectWithWebLock;
  const stopAsking = store.subscribe((state) => {
    if (state.project.persistence !== 'saved') return;
    stopAsking();
    requestPersistentStorage().then(
      (persisted) => setProject({ storagePersisted: persisted }),
      () => setProject({ storagePersisted: null }),
    );
  });

  setProject({ persistence: 'restoring', message: null });
  // restore() reaches `writer` only after its first await, when the line below has run.
  const restored = restore();
  const writer = new AutosaveWriter(store, restored, () => metaDebouncer.size, now);
  const predictionAutosave = new PredictionAutosave(store, slices, predictions, writer, () => db, now());

  async function restore(): Promise<void> {
    if ((await claimProject()) === false) {
      setProject({
        persistence: 'unavailable',
        message: 'Autosave is off in this tab: the studio is open in another tab of this browser, which keeps the saved project. ' +
          'Work there, or close it and reload this tab (two tabs would overwrite each other).',
      });
      writer.stop();
      return;
    }
    try {
      db = await openDb();
    } catch (error) {
      const reason = error instanceof PersistenceUnavailableError ? error.message : describeError(error);
      setProject({ persistence: 'unavailable', message: `Autosave unavailable: ${reason}.` });
      writer.stop();
      return;
    }
    let saved: SavedProject | null;
    try {
      saved = await db.loadProject();
    } catch (error) {
      const message = `Could not restore your last session: reading the saved project failed (${describeError(error)}).`;
      setProject({ persistence: 'failed', message });
      store.setState((s) => ({ errors: [...s.errors, { code: 'restore-failed', message, phase: 'restore' }] }));
      writer.report();
      return;
    }
    if (saved) applyRestored(saved);
    setProject(saved
      ? { persistence: 'saved', lastSavedAt: saved.meta?.savedAt ?? null, message: null }
      : { persistence: 'idle', message: null });
    const report = takeImportReport();
    if (report) setProject({ notice: report });
    writer.report();
    if (metaWaitsForRestore) saveMeta();
    // Slices that could not be restored are reported once: from now on the project is what came back.
    if (saved && saved.missing.length > 0 && !userReplacedDuringRestore) void db.writeManifest(slices.all()).catch(() => undefined);
  }

  function applyRestored(saved: SavedProject): void {
    applyingRestore = true;
    try {
      // Data the user loaded while we were reading is newer than the saved slices.
      if (saved.slices.length > 0 && !userReplacedDuringRestore) showSlices(store, slices, saved.slices, saved.meta?.currentSliceId, saved.classCounts);
      const meta = saved.meta;
      if (meta) store.setState((s) => restoredMetaState(s, meta));
      if (!userReplacedDuringRestore) predictionAutosave.applyRestored(saved);
    } finally {
      applyingRestore = false;
    }
    if (saved.missing.length > 0 && !userReplacedDuringRestore) {
      store.setState((s) => ({ errors: [...s.errors, { code: 'restore-incomplete', message: missingSlicesMessage(saved.missing), phase: 'restore' }] }));
    }
    if (saved.model) restoreModelRunId = engine.send({ type: 'model/import', modelJson: saved.model.modelJson, weights: [saved.model.weights] });
  }

  /** A new set of slices: the old ones are deleted, then each new one is stored on its own (after a failure, all of it again). */
  const saveAllSlices = (): void => {
    // Slice saves still waiting would run before the list is cleared, and be wiped: they go after it.
    writer.cancelQueued('slice:');
    writer.cancelQueued('prediction:');
    writer.queue('slices', () => {
      if (!db) return null;
      const target = db;
      const records = slices.all();
      return { what: `the list of ${records.length} image${records.length === 1 ? '' : 's'}`, bytes: 0, run: () => target.replaceSlices(records) };
    }, saveAllSlices);
    for (const id of slices.ids()) saveSlice(id);
  };

  const saveSlice = (id: string): void => writer.queue(`slice:${id}`, () => {
    const record = slices.get(id);
    if (!db || !record) return null; // replaced since: nothing to store
    const target = db;
    const order = slices.ids().indexOf(id);
    const bytes = record.pixels.byteLength + record.width * record.height + (record.instances?.byteLength ?? 0);
    return {
      what: `${isolate(record.name)} (${record.width}×${record.height} px, image and labels)`,
      bytes,
      run: async () => {
        // The page gave the slice new arrays while it was being stored: store those instead.
        if ((await target.saveSlice(record, order, () => slices.get(id) === record)) === 'superseded') saveSlice(id);
      },
    };
  });

  /** Writes the label tiles `changed` touched now, in the caller's task; all of them after a failure (it may have missed any). */
  const saveLabels = (id: string, changed: readonly PixelRect[] | null) => {
    const record = slices.get(id);
    if (!record) return;
    if (!db) {
      if (store.getState().project.persistence === 'unavailable') paintedWithoutAutosave = true;
      return; // before the restore ends: the slices' full save (queued) stores these labels
    }
    const target = db;
    const part = `labels:${id}`;
    const rects = changed === null || writer.hasFailed(part) ? null : changed;
    const bytes = rects ? rects.reduce((sum, r) => sum + r.width * r.height, 0) : record.width * record.height;
    writer.writeNow(part, { what: `the labels of ${isolate(record.name)}`, bytes, whole: rects === null, run: () => target.putLabelTiles(record, rects) }, () => saveLabels(id, null));
  };

  /** A meta change made while the restore was still reading (the user loaded data): saved once the database is open. */
  let metaWaitsForRestore = false;
  const saveMeta = () => {
    if (!db) {
      if (store.getState().project.persistence === 'restoring') metaWaitsForRestore = true;
      return;
    }
    const target = db;
    const meta = metaFromState(store.getState(), now());
    writer.writeNow('meta', { what: 'the project settings and training history', bytes: JSON.stringify(meta).length, run: () => target.putMeta(meta) }, saveMeta);
  };
  const scheduleMeta = () => {
    if (store.getState().project.persistence === 'unavailable') return; // nothing is saved in this tab
    metaDebouncer.schedule('meta', saveMeta);
    writer.changed();
  };

  const saveModel = (files: ModelFiles) => {
    if (!db) return;
    const target = db;
    const modelKey = predictionAutosave.modelKeyOf(store.getState().model.revision);
    writer.writeNow('model', { what: 'the model', bytes: files.weights.byteLength + files.modelJson.length, run: () => target.putModel(files, modelKey) }, () => saveModel(files));
  };

  slices.subscribe((change) => {
    if (applyingRestore) return;
    if (change.kind === 'replaced') {
      if (store.getState().project.persistence === 'restoring') userReplacedDuringRestore = true;
      saveAllSlices();
      scheduleMeta();
      return;
    }
    if (change.kind === 'relabelled') saveSlice(change.id); // new arrays, instances too: store the slice again
    else saveLabels(change.id, change.rects);
  });

  store.subscribe((state, previous) => {
    if (applyingRestore) return;
    if (metaChanged(state, previous)) scheduleMeta();
    const runEnded = state.training.status === 'done' && (previous.training.status === 'running' || previous.training.status === 'paused');
    // Ask the engine for the trained weights; the model/exported event below stores them.
    if (runEnded && state.model.available && db) engine.send({ type: 'model/export', classNames: state.data.classNames });
  });

  engine.subscribe((event) => {
    if (event.type === 'model/exported') {
      saveModel(event.files);
    } else if (event.type === 'predict/slice-done') {
      predictionAutosave.save(event.sliceId);
    } else if (event.type === 'model/imported') {
      if (event.runId === restoreModelRunId) {
        store.setState((s) => ({ model: { ...s.model, source: 'restored' } }));
        predictionAutosave.modelRestored();
      } else if (db) {
        // A model the user imported: fetch its files to keep them.
        engine.send({ type: 'model/export', classNames: event.metadata.classNames });
      }
    }
  });

  /** Set once "New project" has deleted everything: the reload that follows must not ask about leaving. */
  let leaving = false;
  const hasUnsavedWork = () => !leaving && (writer.unsaved || paintedWithoutAutosave);

  if (typeof window !== 'undefined') {
    // Deferred saves go out before the tab is hidden or closed (issued now, they survive the unload).
    const flush = () => metaDebouncer.flushAll();
    window.addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') flush(); });
    // Anything not on disk yet, or labels this tab cannot save: the browser asks before leaving.
    window.addEventListener('beforeunload', (event) => {
      flush();
      if (!hasUnsavedWork()) return;
      event.preventDefault();
      event.returnValue = 'unsaved'; // older browsers ask only when this is a non-empty string
    });
  }

  /** The page's own project, stored again after a replacement failed part-way (the page never changed). */
  const storeEverythingAgain = () => {
    writer.resume();
    saveAllSlices();
    saveMeta();
    for (const id of predictions.ids()) predictionAutosave.save(id);
    const { model, data } = store.getState();
    if (model.available && model.source !== 'third-party') engine.send({ type: 'model/export', classNames: data.classNames });
  };

  return {
    hasUnsavedWork,
    async replaceProject(project, report) {
      await restored;
      if (!db) throw new PersistenceUnavailableError(`importing a project needs autosave in this tab, and it is off (${store.getState().project.message ?? 'no project database'})`);
      const target = db;
      metaDebouncer.cancelAll();
      writer.stop();
      await writer.idle();
      try {
        await writeWholeProject(target, project, now());
      } catch (error) {
        storeEverythingAgain();
        throw error;
      }
      leaveImportReport(report); // without session storage the project still opens, without the report
      leaving = true;
      reload();
    },
    async newProject() {
      metaDebouncer.cancelAll();
      writer.stop();
      await restored;
      await writer.idle();
      if (db) {
        try {
          await db.clear();
        } catch (error) {
          const message = `Could not delete the saved project (${describeError(error)}); nothing was deleted.`;
          store.setState((s) => ({ errors: [...s.errors, { code: 'clear-failed', message, phase: 'new project' }] }));
          writer.resume();
          setProject({ persistence: 'failed', message });
          // Saves dropped above may be missing: store everything again.
          saveAllSlices();
          saveMeta();
          return;
        }
      }
      leaving = true;
      reload();
    },
  };
}

/** What a restore could not bring back, and what to do. */
export function missingSlicesMessage(missing: readonly MissingSlice[]): string {
  const names = missing.map((m) => `${isolate(m.name)} (${m.width}×${m.height} px)`);
  const list = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
  const one = missing.length === 1;
  return `Not restored: ${list} ${one ? 'was' : 'were'} never saved completely (the browser refused to store ${one ? 'it' : 'them'}, ` +
    `or the tab closed while saving). Load ${one ? 'it' : 'them'} again.`;
}
