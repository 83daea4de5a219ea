import { StudioError } from '../../core/errors';
import { sliceLimitPixels } from '../../core/io/sliceSizeLimit';
import type { ModelFiles } from '../../core/model/modelFiles';
import { readProjectFile } from '../../core/project/readProjectFile';
import { writeProjectFile } from '../../core/project/writeProjectFile';
import { isolate } from '../../core/text/isolate';
import type { StudioStore } from '../../store/createStudioStore';
import type { SliceRegistry } from '../data/sliceRegistry';
import type { EngineClient } from '../engineClient';
import { downloadParts, type DownloadPartsFn } from '../model/downloadFile';
import type { ProjectActions } from '../persistence/connectPersistence';
import { describeError, PersistenceUnavailableError } from '../persistence/projectDb';
import { metaFromState } from '../persistence/projectMeta';
import type { PredictionRegistry } from '../predict/predictionRegistry';
import type { ProjectToStore } from './checkImportedProject';
import { checkImportedProject } from './checkImportedProject';

export interface ProjectFileActions {
  /** Downloads the whole project as one zip (docs/project-file.md). */
  exportProject(): Promise<void>;
  /** Reads a project zip, checks every part, asks, then replaces the project with it (the page reloads into it). */
  importProject(file: File): Promise<void>;
  /** Hides the report of the import the page opened with. */
  dismissProjectNotice(): void;
}

export const PROJECT_FILE_SUFFIX = '.unet-project.zip';

/** What tests replace. */
export interface ProjectFileOptions {
  readonly download?: DownloadPartsFn;
  readonly confirm?: (question: string) => boolean | Promise<boolean>;
  readonly now?: () => Date;
  /** The most pixels all slices of an imported project may have together; default this device's slice limit (sliceLimitPixels). */
  readonly maxProjectPixels?: number;
}

/** The whole zip (its central directory is at the end); a file the browser cannot hold says so. */
async function fileBytes(file: File): Promise<Uint8Array> {
  try {
    return new Uint8Array(await file.arrayBuffer());
  } catch (error) {
    throw new StudioError('out-of-memory', `the browser could not read the ${(file.size / 2 ** 20).toFixed(0)} MiB file into memory (${error instanceof Error ? error.message : String(error)}); import it on a machine with more memory.`);
  }
}

/** A task boundary between files: the page paints and takes input while a big project is written or read. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * One-file projects out and in. Export: the engine's model files, then each slice's TIFFs one after
 * another into a streamed zip. Import: every part checked first (core/project, then the model as a
 * model import checks it); a question before the current project goes; then the saved project is
 * replaced and the page reloads into it. The actions never throw: failures land in store.errors.
 */
export function createProjectFileActions(store: StudioStore, engine: EngineClient, slices: SliceRegistry, predictions: PredictionRegistry,
  persistence: Pick<ProjectActions, 'replaceProject'>, options: ProjectFileOptions = {}): ProjectFileActions {
  const download = options.download ?? downloadParts;
  const confirm = options.confirm ?? ((question: string) => window.confirm(question));
  const now = options.now ?? (() => new Date());
  const fail = (phase: 'project export' | 'project import', error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    store.setState((s) => ({ errors: [...s.errors, { code: error instanceof StudioError ? error.code : `${phase.replace(' ', '-')}-failed`, message, phase }] }));
  };

  const exportModelFiles = (classNames: readonly string[]) => new Promise<ModelFiles>((resolve, reject) => {
    let runId = '';
    const stop = engine.subscribe((event) => {
      if (event.runId !== runId) return;
      if (event.type === 'model/exported') resolve(event.files);
      else if (event.type === 'error') reject(new StudioError('invalid-config', `the engine could not hand over the model (${event.error.message})`));
      else return;
      stop();
    });
    runId = engine.send({ type: 'model/export', classNames });
  });

  return {
    dismissProjectNotice: () => store.setState((s) => ({ project: { ...s.project, notice: null } })),

    async exportProject() {
      try {
        const state = store.getState();
        if (state.training.status === 'running') throw new StudioError('invalid-config', 'Pause or stop training to export the project: the model is changing.');
        if (slices.ids().length === 0 && !state.model.available) throw new StudioError('invalid-config', 'There is nothing to export yet: load images or a model first.');
        // A third-party model is not the studio's to write into a project (its package is the file to keep).
        const model = state.model.available && state.model.source !== 'third-party' ? await exportModelFiles(state.data.classNames) : null;
        const { modelRevisionOf } = store.getState().prediction;
        const revision = store.getState().model.revision;
        const parts: Uint8Array[] = [];
        const meta = metaFromState(store.getState(), now());
        await writeProjectFile({
          createdAt: meta.savedAt, classNames: meta.classNames, currentSliceId: meta.currentSliceId, slices: slices.all(), model,
          predictionOf: (id) => {
            const p = predictions.get(id);
            if (!p?.done || !p.instances) return null;
            return { numClasses: p.numClasses, quantised: p.quantised, instances: p.instances, instanceCount: p.instanceCount, fromCurrentModel: model !== null && modelRevisionOf[id] === revision };
          },
          settings: { trainingChoices: meta.trainingChoices, classColours: meta.classColours ?? [], predictionThreshold: meta.predictionThreshold ?? 0.5 }, training: meta.training,
        }, (chunk) => parts.push(chunk), nextTask);
        download(`project-${meta.savedAt.slice(0, 10)}${PROJECT_FILE_SUFFIX}`, parts);
      } catch (error) {
        fail('project export', error);
      }
    },

    async importProject(file) {
      let project: ProjectToStore;
      try {
        const state = store.getState();
        if (state.training.status === 'running' || state.training.status === 'paused') {
          throw new StudioError('invalid-config', `Stop training before importing a project: the ${state.training.status} run would be replaced under it.`);
        }
        const deviceMemory = typeof navigator === 'undefined' ? undefined : (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
        const limit = sliceLimitPixels(deviceMemory);
        const read = await readProjectFile(await fileBytes(file), file.name, { maxSlicePixels: limit, maxProjectPixels: options.maxProjectPixels ?? limit }, nextTask);
        project = checkImportedProject(read, file.name, store.getState(), now());
      } catch (error) {
        fail('project import', new StudioError(error instanceof StudioError ? error.code : 'decode-failed',
          `${isolate(file.name)} was not imported, nothing changed: ${error instanceof Error ? error.message : String(error)}`));
        return;
      }
      const current = store.getState();
      if (current.data.slices.length > 0 || current.model.available) {
        const question = `Replace the current project (${current.data.slices.length} slice(s)${current.model.available ? ', a model' : ''}) with ${isolate(file.name)}: ${project.summary}?\n\n` +
          'The current project is deleted from this browser: export it first to keep it.';
        if (!(await confirm(question))) return;
      }
      try {
        await persistence.replaceProject(project, `Imported ${isolate(file.name)}: ${project.summary}.`);
      } catch (error) {
        fail('project import', error instanceof PersistenceUnavailableError
          ? new Error(`${isolate(file.name)} was not imported, nothing changed: ${error.message}.`)
          : new Error(`${isolate(file.name)} was not imported: storing it in this browser failed (${describeError(error)}). ` +
            'Your current project is unchanged and is being saved again.'));
      }
    },
  };
}
