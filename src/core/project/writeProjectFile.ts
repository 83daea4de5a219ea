import { strToU8 } from 'fflate';
import type { ManifestModel, ManifestSlice, ProjectManifest } from './projectManifest';
import { MANIFEST_PATH, PROJECT_FORMAT, PROJECT_FORMAT_VERSION, SETTINGS_PATH, TRAINING_PATH } from './projectManifest';
import type { ProjectPredictionData, ProjectSliceData } from './projectSliceFiles';
import { encodeSliceFiles } from './projectSliceFiles';
import { ProjectZipWriter } from './projectZip';

/** The studio's model files (core/model/modelFiles' ModelFiles). */
export interface ProjectModelFiles {
  readonly modelJson: string;
  readonly weightsFileName: string;
  readonly weights: ArrayBuffer;
  readonly metadataJson: string;
}

/** Everything a project file holds; slices and predictions are asked for one at a time. */
export interface ProjectContent {
  readonly createdAt: string;
  readonly classNames: readonly string[];
  readonly currentSliceId: string | null;
  readonly slices: readonly ProjectSliceData[];
  readonly predictionOf: (sliceId: string) => ProjectPredictionData | null;
  readonly model: ProjectModelFiles | null;
  /** settings.json and training.json: plain JSON values. */
  readonly settings: unknown;
  readonly training: unknown;
}

/**
 * Writes a project file (docs/project-file.md) to `onData`, one file at a time: `pause` runs between
 * files (the page yields a task there), so a slice's TIFFs are made, handed on and dropped before
 * the next. manifest.json goes last, once every file is known. Returns the manifest.
 */
export async function writeProjectFile(content: ProjectContent, onData: (chunk: Uint8Array, final: boolean) => void,
  pause: () => Promise<void> = () => Promise.resolve()): Promise<ProjectManifest> {
  const zip = new ProjectZipWriter(onData);
  const entries: ManifestSlice[] = [];
  for (const [i, slice] of content.slices.entries()) {
    const { entry, files } = encodeSliceFiles(slice, content.predictionOf(slice.id), `slices/${String(i + 1).padStart(4, '0')}`);
    for (const file of files) {
      const { path, bytes } = file();
      zip.add(path, bytes);
      await pause();
    }
    entries.push(entry);
  }
  let model: ManifestModel | null = null;
  if (content.model) {
    const { modelJson, weightsFileName, weights, metadataJson } = content.model;
    model = { modelJson: 'model/model.json', weights: `model/${weightsFileName}`, metadata: 'model/model.metadata.json' };
    zip.add(model.modelJson, strToU8(modelJson));
    zip.add(model.weights, new Uint8Array(weights));
    zip.add(model.metadata, strToU8(metadataJson));
  }
  zip.add(SETTINGS_PATH, strToU8(JSON.stringify(content.settings, null, 2)));
  zip.add(TRAINING_PATH, strToU8(JSON.stringify(content.training, null, 2)));
  const current = content.slices.findIndex((s) => s.id === content.currentSliceId);
  const manifest: ProjectManifest = {
    format: PROJECT_FORMAT, formatVersion: PROJECT_FORMAT_VERSION, createdAt: content.createdAt, classNames: [...content.classNames],
    currentSlice: current >= 0 ? current : null, slices: entries, model, settings: SETTINGS_PATH, training: TRAINING_PATH,
  };
  zip.add(MANIFEST_PATH, strToU8(JSON.stringify(manifest, null, 2)));
  zip.end();
  return manifest;
}
