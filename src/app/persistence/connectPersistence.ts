import type { StudioStore } from '../../store/createStudioStore';
import type { ProjectSlice } from '../../store/slices/projectSlice';
import { showSlices } from '../data/createDataActions';
import type { SliceRegistry } from '../data/sliceRegistry';
import type { EngineClient } from '../engineClient';
import { AutosaveWriter } from './autosaveWriter';
import { Debouncer } from './debouncer';
import type { SavedProject } from './projectDb';
import { describeError, PersistenceUnavailableError, ProjectDb } from './projectDb';
import { metaChanged, metaFromState, restoredMetaState } from './projectMeta';

export interface ProjectActions {
  /** Clears the saved project and the page (the UI asks for confirmation first). */
  newProject(): Promise<void>;
}

/** What tests (and only tests) replace. */
export interface PersistenceOptions {
  /** Opens the project database; default ProjectDb.open() on the page's IndexedDB. */
  readonly openDb?: () => Promise<ProjectDb>;
  /** Starts the page afresh after "New project"; default location.reload(). */
  readonly reload?: () => void;
  /** Quiet time before painted labels are saved (per slice). */
  readonly labelsDelayMs?: number;
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

const PROJECT_LOCK = 'unet-studio-project';

/** One tab at a time owns the saved project, so two tabs cannot overwrite each other's work. */
function claimProjectWithWebLock(): Promise<boolean | null> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks) return Promise.resolve(null);
  return new Promise((resolve) => {
    locks.request(PROJECT_LOCK, { ifAvailable: true }, (lock) => {
      resolve(lock !== null);
      // Held until the tab closes or reloads (the browser releases it then).
      return lock ? new Promise<void>(() => undefined) : undefined;
    }).catch(() => resolve(null));
  });
}

/** Best-effort temporary storage can be evicted when the disk fills up: ask once to keep it. */
async function askBrowserToPersist(): Promise<boolean | null> {
  const storage = typeof navigator !== 'undefined' ? navigator.storage : undefined;
  if (!storage?.persist || !storage.persisted) return null;
  return (await storage.persisted()) || storage.persist();
}

const LABELS_DELAY_MS = 500;
const META_DELAY_MS = 500;

/**
 * Restores the saved project into the registry, the store and the engine, then autosaves every
 * change: slices on replace, labels per slice after painting settles, the meta on store changes,
 * the model whenever the engine exports one (and after training or a user import, it asks for one).
 */
export function connectPersistence(store: StudioStore, slices: SliceRegistry, engine: EngineClient, options: PersistenceOptions = {}): ProjectActions {
  const openDb = options.openDb ?? (() => ProjectDb.open());
  const reload = options.reload ?? (() => location.reload());
  const now = options.now ?? (() => new Date());
  const labelsDebouncer = new Debouncer(options.labelsDelayMs ?? LABELS_DELAY_MS);
  const metaDebouncer = new Debouncer(options.metaDelayMs ?? META_DELAY_MS);
  const setProject = (patch: Partial<ProjectSlice['project']>) => store.setState((s) => ({ project: { ...s.project, ...patch } }));

  let db: ProjectDb | null = null;
  /** True while restored data goes in: those changes are what is saved already. */
  let applyingRestore = false;
  let userReplacedDuringRestore = false;
  let restoreModelRunId: string | null = null;

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
  const writer = new AutosaveWriter(store, restored, now);

  async function restore(): Promise<void> {
    if ((await claimProject()) === false) {
      setProject({
        persistence: 'unavailable',
        message: 'Autosave is off in this tab: the studio is open in another tab of this browser, which keeps the saved project. ' +
          'Work there, or close it and reload this tab (two tabs would overwrite each other).',
      });
      return;
    }
    try {
      db = await openDb();
    } catch (error) {
      const reason = error instanceof PersistenceUnavailableError ? error.message : describeError(error);
      setProject({ persistence: 'unavailable', message: `Autosave unavailable: ${reason}.` });
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
    writer.report();
  }

  function applyRestored(saved: SavedProject): void {
    applyingRestore = true;
    try {
      // Data the user loaded while we were reading is newer than the saved slices.
      if (saved.slices.length > 0 && !userReplacedDuringRestore) showSlices(store, slices, saved.slices, saved.meta?.currentSliceId);
      const meta = saved.meta;
      if (meta) store.setState((s) => restoredMetaState(s, meta));
    } finally {
      applyingRestore = false;
    }
    if (saved.model) restoreModelRunId = engine.send({ type: 'model/import', modelJson: saved.model.modelJson, weights: [saved.model.weights] });
  }

  const saveSlices = () => writer.write('slices', () => {
    const records = slices.all();
    if (!db) return null;
    const target = db;
    const bytes = records.reduce((sum, r) => sum + r.pixels.byteLength + r.classes.byteLength + (r.instances?.byteLength ?? 0), 0);
    return { what: `${records.length} image${records.length === 1 ? '' : 's'} with their labels`, bytes, run: () => target.saveSlices(records) };
  });

  const saveLabels = (id: string) => writer.write(`labels:${id}`, () => {
    const record = slices.get(id);
    if (!db || !record) return null;
    const target = db;
    return {
      what: `the labels of "${record.name}"`,
      bytes: record.classes.byteLength,
      run: async () => {
        // Not stored yet (an earlier full save failed): queue the whole set instead.
        if (!(await target.saveLabels(id, record.classes))) saveSlices();
      },
    };
  });

  const saveMeta = () => writer.write('meta', () => {
    if (!db) return null;
    const target = db;
    const meta = metaFromState(store.getState(), now());
    return { what: 'the project settings and training history', bytes: JSON.stringify(meta).length, run: () => target.saveMeta(meta) };
  });

  slices.subscribe((change) => {
    if (applyingRestore) return;
    if (change.kind === 'replaced') {
      if (store.getState().project.persistence === 'restoring') userReplacedDuringRestore = true;
      labelsDebouncer.cancelAll(); // the full save below stores every slice's labels
      saveSlices();
      metaDebouncer.schedule('meta', saveMeta);
      return;
    }
    labelsDebouncer.schedule(change.id, () => saveLabels(change.id));
  });

  store.subscribe((state, previous) => {
    if (applyingRestore) return;
    if (metaChanged(state, previous)) metaDebouncer.schedule('meta', saveMeta);
    const runEnded = state.training.status === 'done' && (previous.training.status === 'running' || previous.training.status === 'paused');
    // Ask the engine for the trained weights; the model/exported event below stores them.
    if (runEnded && state.model.available && db) engine.send({ type: 'model/export', classNames: state.data.classNames });
  });

  engine.subscribe((event) => {
    if (event.type === 'model/exported') {
      const { files } = event;
      writer.write('model', () => {
        if (!db) return null;
        const target = db;
        return { what: 'the model', bytes: files.weights.byteLength + files.modelJson.length, run: () => target.saveModel(files) };
      });
    } else if (event.type === 'model/imported') {
      if (event.runId === restoreModelRunId) {
        store.setState((s) => ({ model: { ...s.model, source: 'restored' } }));
      } else if (db) {
        // A model the user imported: fetch its files to keep them.
        engine.send({ type: 'model/export', classNames: event.metadata.classNames });
      }
    }
  });

  // Pending saves go out before the tab is hidden or closed.
  if (typeof window !== 'undefined') {
    const flush = () => { labelsDebouncer.flushAll(); metaDebouncer.flushAll(); };
    window.addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') flush(); });
  }

  return {
    async newProject() {
      labelsDebouncer.cancelAll();
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
          saveSlices();
          saveMeta();
          return;
        }
      }
      reload();
    },
  };
}
