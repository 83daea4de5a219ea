import { StudioError } from '../../core/errors';
import { parse as parseYaml } from 'yaml';
import { isolate } from '../../core/text/isolate';
import { baseName, isZipName, unzipEntries, type NamedBytes } from './modelZip';

export type { NamedBytes } from './modelZip';

/** What the engine's model/import request takes: the model.json text and its weight files in manifest order. */
export interface ModelImport {
  readonly modelJson: string;
  readonly weights: ArrayBuffer[];
  /** The model.json's name as chosen (for messages). */
  readonly modelFileName: string;
  /** model.json's `userDefinedMetadata`, as parsed (unchecked: readModelMetadata checks it). */
  readonly userDefinedMetadata: unknown;
}

interface WeightSpec {
  readonly name?: unknown;
  readonly shape?: unknown;
  readonly dtype?: unknown;
  readonly quantization?: { readonly dtype?: unknown } | null;
}

interface ManifestGroup {
  readonly paths: readonly string[];
  readonly weights: readonly WeightSpec[];
}

/** Bytes per stored value, as tfjs writes them (quantized weights are stored in the quantization dtype). */
const BYTES_PER_VALUE: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, complex64: 8, uint8: 1, uint16: 2, float16: 2 };

const count = (n: number): string => n.toLocaleString('en-US');

/**
 * Picks the model.json and its weight files out of what the user chose (loose files or zips,
 * possibly mixed), checks that the weights are all there and hold exactly the bytes the manifest
 * describes, and returns them in manifest order. Every failure is a StudioError naming the file.
 */
export function readModelFiles(chosen: readonly NamedBytes[]): ModelImport {
  if (chosen.length === 0) throw new StudioError('decode-failed', 'No files were chosen: choose model.json together with its weights file(s), or one .zip holding them.');
  const files = chosen.flatMap((file) => (isZipName(file.name) ? zipContents(file) : [{ ...file, name: baseName(file.name) }]));
  const modelFile = pickModelJson(files, chosen);
  const modelJson = decodeText(modelFile);
  const { groups, userDefinedMetadata } = manifestOf(modelJson, modelFile.name);

  const weights: ArrayBuffer[] = [];
  for (const group of groups) {
    const groupFiles = group.paths.map((path) => {
      const wanted = baseName(path);
      const file = files.find((f) => f.name === wanted || f.name === safeDecodeUri(wanted));
      if (!file) {
        throw new StudioError('decode-failed', `${isolate(modelFile.name)} names weights file ${isolate(wanted)}, which was not among the chosen files: choose it together with ${isolate(modelFile.name)}.`);
      }
      return file;
    });
    const heldBytes = groupFiles.reduce((sum, f) => sum + f.bytes.byteLength, 0);
    const neededBytes = group.weights.reduce((sum, spec) => sum + specBytes(spec, modelFile.name), 0);
    if (heldBytes !== neededBytes) {
      const names = groupFiles.map((f) => f.name).join(', ');
      throw new StudioError('decode-failed', `${names}: the weights are ${count(heldBytes)} bytes but the manifest needs ${count(neededBytes)} (per ${modelFile.name}) — ` +
        `choose the weights file saved with this ${isolate(modelFile.name)}.`);
    }
    for (const f of groupFiles) weights.push(f.bytes.slice().buffer);
  }
  return { modelJson, weights, modelFileName: modelFile.name, userDefinedMetadata };
}

function zipContents(zip: NamedBytes): NamedBytes[] {
  const entries = unzipEntries(zip.bytes, baseName(zip.name));
  const rdf = entries.find((e) => e.name === 'rdf.yaml' || e.name === 'bioimageio.yaml');
  if (rdf && !entries.some((e) => isModelJsonName(e.name))) return bioimagePackageContents(zip, rdf, entries);
  if (!entries.some((e) => isModelJsonName(e.name))) {
    const listing = entries.length > 0 ? `it holds ${entries.map((e) => isolate(e.name)).join(', ')}` : 'it is empty';
    throw new StudioError('decode-failed', `${isolate(baseName(zip.name))} holds no model.json (${listing}): zip model.json together with its weights file(s).`);
  }
  return entries;
}

/**
 * A bioimage.io model package: its TensorFlow.js weights (a zip named by `weights.tensorflow_js.source`
 * in rdf.yaml) hold the model.json and weights. The studio's own packages carry its metadata there, so
 * they import like its model files. Third-party packages never come here (foreignPackageOf takes them);
 * one of ours without its TensorFlow.js weights is refused, saying so.
 */
function bioimagePackageContents(zip: NamedBytes, rdf: NamedBytes, entries: readonly NamedBytes[]): NamedBytes[] {
  const name = isolate(baseName(zip.name));
  let source: unknown;
  try {
    const parsed = parseYaml(new TextDecoder().decode(rdf.bytes)) as { weights?: { tensorflow_js?: { source?: unknown } } } | null;
    source = parsed?.weights?.tensorflow_js?.source;
  } catch (error) {
    throw new StudioError('decode-failed', `${name} is a bioimage.io package whose ${isolate(rdf.name)} could not be read (${error instanceof Error ? error.message : String(error)}).`);
  }
  if (typeof source !== 'string') {
    throw new StudioError('unsupported-format', `${name} is a U-Net Studio package without its TensorFlow.js weights, which hold the model to fine-tune: ` +
      'export the package again from the studio.');
  }
  const weights = entries.find((e) => e.name === baseName(source as string));
  if (!weights) throw new StudioError('decode-failed', `${name}: its ${isolate(rdf.name)} names TensorFlow.js weights ${isolate(source)}, which the package does not hold.`);
  return unzipEntries(weights.bytes, baseName(source));
}

/** Our exports add model.metadata.json beside model.json; it repeats what model.json holds, so it is not the model. */
function isModelJsonName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.endsWith('.json') && !lower.endsWith('.metadata.json');
}

function pickModelJson(files: readonly NamedBytes[], chosen: readonly NamedBytes[]): NamedBytes {
  const candidates = files.filter((f) => isModelJsonName(f.name));
  if (candidates.length === 0) {
    throw new StudioError('decode-failed', `No model.json among the chosen files (${chosen.map((f) => isolate(baseName(f.name))).join(', ')}): choose model.json together with its weights file(s).`);
  }
  if (candidates.length === 1) return candidates[0] as NamedBytes;
  const named = candidates.filter((f) => f.name === 'model.json');
  if (named.length === 1) return named[0] as NamedBytes;
  throw new StudioError('decode-failed', `Several model files were chosen (${candidates.map((f) => isolate(f.name)).join(', ')}): choose one model.json at a time.`);
}

function decodeText(file: NamedBytes): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(file.bytes);
  } catch {
    throw new StudioError('decode-failed', `${isolate(file.name)} is not valid JSON (it is not even UTF-8 text).`);
  }
}

function manifestOf(text: string, fileName: string): { groups: ManifestGroup[]; userDefinedMetadata: unknown } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new StudioError('decode-failed', `${isolate(fileName)} is not valid JSON (${error instanceof Error ? error.message : String(error)}).`);
  }
  const record = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const manifest = record.weightsManifest;
  if (!Array.isArray(manifest) || !record.modelTopology) {
    const missing = [!record.modelTopology ? 'modelTopology' : null, !Array.isArray(manifest) ? 'weightsManifest' : null].filter(Boolean).join(' or ');
    throw new StudioError('unsupported-format', `${isolate(fileName)} is not a TensorFlow.js layers model.json: it has no ${missing}.`);
  }
  const groups = manifest.map((group: unknown, i) => {
    const g = (typeof group === 'object' && group !== null ? group : {}) as Record<string, unknown>;
    const paths = g.paths;
    const weights = g.weights;
    if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string') || !Array.isArray(weights)) {
      throw new StudioError('unsupported-format', `${isolate(fileName)}: weightsManifest group ${i + 1} lacks its "paths" or "weights" list, so its weights cannot be found.`);
    }
    return { paths: paths as string[], weights: weights as WeightSpec[] };
  });
  return { groups, userDefinedMetadata: record.userDefinedMetadata };
}

function specBytes(spec: WeightSpec, fileName: string): number {
  const label = typeof spec.name === 'string' ? isolate(`'${spec.name}'`) : 'a weight';
  const shape = spec.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) {
    throw new StudioError('unsupported-format', `${isolate(fileName)}: ${label} has no valid shape in the weights manifest.`);
  }
  const storedDtype = spec.quantization?.dtype ?? spec.dtype;
  const bytes = typeof storedDtype === 'string' ? BYTES_PER_VALUE[storedDtype] : undefined;
  if (bytes === undefined) {
    throw new StudioError('unsupported-format', `${isolate(fileName)}: ${label} is stored as ${String(storedDtype)}, which U-Net Studio cannot read.`);
  }
  return (shape as number[]).reduce((a, b) => a * b, 1) * bytes;
}

function safeDecodeUri(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}
