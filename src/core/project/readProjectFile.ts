import { strFromU8 } from 'fflate';
import { StudioError } from '../errors';
import { MAX_SLICE_PIXELS } from '../io/sliceSizeLimit';
import { isolate } from '../text/isolate';
import type { ProjectManifest } from './projectManifest';
import { filesOf, MANIFEST_PATH, parseProjectManifest } from './projectManifest';
import type { ProjectPredictionData, ProjectSliceData } from './projectSliceFiles';
import { decodeSliceFiles } from './projectSliceFiles';
import { ProjectZipReader } from './projectZip';
import type { ProjectModelFiles } from './writeProjectFile';

/** A project file read and checked whole (nothing of it is used before every part passed). */
export interface ReadProject {
  readonly manifest: ProjectManifest;
  readonly slices: readonly { readonly slice: ProjectSliceData; readonly prediction: ProjectPredictionData | null }[];
  readonly model: ProjectModelFiles | null;
  /** settings.json and training.json as parsed (their fields are the reader's to check). */
  readonly settings: unknown;
  readonly training: unknown;
}

export interface ReadProjectLimits {
  /** The largest slice (pixels) this page can hold. */
  readonly maxSlicePixels?: number;
  /** All slices together (pixels): a project past it is refused before any slice is decoded. */
  readonly maxProjectPixels?: number;
}

/**
 * Reads a project file: manifest.json first (format, version, every field), then the limits and that
 * every file it names is in the zip, then each slice's files one at a time (`pause` runs between
 * slices), the model files and the JSON. Any failure is a StudioError naming the part and why.
 */
export async function readProjectFile(zip: Uint8Array, zipName: string, limits: ReadProjectLimits = {},
  pause: () => Promise<void> = () => Promise.resolve()): Promise<ReadProject> {
  const reader = new ProjectZipReader(zip, zipName);
  const manifestBytes = reader.read(MANIFEST_PATH);
  if (!manifestBytes) throw new StudioError('unsupported-format', `${isolate(zipName)} has no manifest.json: it is not a U-Net Studio project file (a model zip is imported under Model and exports).`);
  const manifest = parseProjectManifest(strFromU8(manifestBytes));
  const maxSlicePixels = limits.maxSlicePixels ?? MAX_SLICE_PIXELS;
  const maxProjectPixels = limits.maxProjectPixels ?? MAX_SLICE_PIXELS;
  const totalPixels = manifest.slices.reduce((sum, s) => sum + s.width * s.height, 0);
  if (totalPixels > maxProjectPixels) {
    throw new StudioError('out-of-memory', `${isolate(zipName)} holds ${manifest.slices.length} slices of ${pixels(totalPixels)} in all; this page can hold at most ${pixels(maxProjectPixels)} at once (its memory limit).`);
  }
  const missing = filesOf(manifest).filter((path) => !reader.has(path));
  if (missing.length > 0) throw new StudioError('decode-failed', `${isolate(zipName)} lacks ${missing.slice(0, 3).map(isolate).join(', ')}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''}, named in its manifest.json.`);
  const slices: ReadProject['slices'][number][] = [];
  for (const entry of manifest.slices) {
    slices.push(decodeSliceFiles(entry, (path) => reader.read(path), maxSlicePixels));
    await pause();
  }
  const text = (path: string) => strFromU8(reader.read(path) as Uint8Array);
  let model: ProjectModelFiles | null = null;
  if (manifest.model) {
    const weights = reader.read(manifest.model.weights) as Uint8Array;
    model = {
      modelJson: text(manifest.model.modelJson),
      weightsFileName: manifest.model.weights.split('/').pop() as string,
      weights: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
      metadataJson: text(manifest.model.metadata),
    };
  }
  return { manifest, slices, model, settings: json(text(manifest.settings), manifest.settings), training: json(text(manifest.training), manifest.training) };
}

function json(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new StudioError('decode-failed', `${isolate(path)} is not valid JSON (${error instanceof Error ? error.message : String(error)}).`);
  }
}

/** "537 Mpx", or "21 px" below a megapixel. */
function pixels(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(0)} Mpx` : `${n} px`;
}
