import { strFromU8, unzipSync } from 'fflate';
import { parse as parseYaml } from 'yaml';
import { StudioError } from '../errors';
import { sha256Hex } from '../export/bioimageio/sha256';
import { isolate } from '../text/isolate';
import { decodeNpy, type NpyArray } from './decodeNpy';
import type { ForeignModelSpec } from './foreignModelSpec';
import { readForeignRdf } from './readForeignRdf';

/** A file of the package by its base name (folders flattened, as the studio unzips). */
export interface PackageEntry {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export type ForeignWeights =
  | { readonly kind: 'onnx'; readonly bytes: Uint8Array }
  /** model.json's text and every other file beside it (its weight shards among them). */
  | { readonly kind: 'tensorflow_js'; readonly modelJson: string; readonly files: readonly PackageEntry[] };

export interface ForeignPackage {
  readonly spec: ForeignModelSpec;
  readonly weights: ForeignWeights;
  /** The rdf's test tensors (raw input, expected output after postprocessing); null where it names none. */
  readonly testInput: NpyArray | null;
  readonly testOutput: NpyArray | null;
}

const RDF_NAMES = ['rdf.yaml', 'bioimageio.yaml'];

/** The package's description file: rdf.yaml, bioimageio.yaml or NAME.bioimageio.yaml. */
export function findRdfEntry(entries: readonly PackageEntry[]): PackageEntry | undefined {
  return entries.find((e) => RDF_NAMES.includes(e.name)) ?? entries.find((e) => e.name.endsWith('.bioimageio.yaml'));
}

export function parseRdf(rdf: PackageEntry, packageName: string): unknown {
  try {
    return parseYaml(strFromU8(rdf.bytes));
  } catch (error) {
    throw new StudioError('decode-failed', `${isolate(packageName)} is a bioimage.io package whose ${isolate(rdf.name)} could not be read (${error instanceof Error ? error.message.split('\n')[0] : String(error)}).`);
  }
}

/** The studio's own packages carry its metadata under config.unet_studio: they import as studio models (fine-tunable). */
export function isStudioPackage(rdf: unknown): boolean {
  const config = (rdf as { config?: { unet_studio?: unknown } } | null)?.config;
  return typeof config === 'object' && config !== null && config.unet_studio !== undefined;
}

/**
 * A third-party model package (its files, unzipped): rdf.yaml checked by readForeignRdf, the weights it
 * names found and matched against their SHA-256 where the rdf gives one, the test tensors decoded.
 * Every refusal names the package and the file.
 */
export function readForeignPackage(entries: readonly PackageEntry[], packageName: string): ForeignPackage {
  const rdfEntry = findRdfEntry(entries);
  if (!rdfEntry) throw new StudioError('decode-failed', `${isolate(packageName)} holds no rdf.yaml, so it is not a bioimage.io model package.`);
  const rdf = parseRdf(rdfEntry, packageName);
  const spec = readForeignRdf(rdf, packageName);
  const find = (path: string, what: string): PackageEntry => {
    const entry = entries.find((e) => e.name === baseName(path));
    if (!entry) {
      throw new StudioError('decode-failed', `${isolate(packageName)}: its rdf.yaml names ${what} ${isolate(path)}, which the package does not hold. ` +
        'Choose the whole package zip, as bioimage.io downloads it (the studio never fetches files from elsewhere).');
    }
    return entry;
  };
  const weightsEntry = find(spec.weights.source, spec.weights.kind === 'onnx' ? 'ONNX weights' : 'TensorFlow.js weights');
  const expected = (rdf as { weights?: Record<string, { sha256?: unknown }> }).weights?.[spec.weights.kind]?.sha256;
  if (typeof expected === 'string' && sha256Hex(weightsEntry.bytes) !== expected.toLowerCase()) {
    throw new StudioError('decode-failed', `${isolate(packageName)}: ${isolate(weightsEntry.name)} does not match the SHA-256 its rdf.yaml records, so the file is damaged or was changed. Download the package again.`);
  }
  const testInput = spec.testTensors ? decodeNpy(find(spec.testTensors.input, 'test input').bytes, spec.testTensors.input) : null;
  const testOutput = spec.testTensors ? decodeNpy(find(spec.testTensors.output, 'test output').bytes, spec.testTensors.output) : null;
  return { spec, weights: readWeights(spec, weightsEntry, entries, packageName), testInput, testOutput };
}

function readWeights(spec: ForeignModelSpec, entry: PackageEntry, entries: readonly PackageEntry[], packageName: string): ForeignWeights {
  if (spec.weights.kind === 'onnx') return { kind: 'onnx', bytes: entry.bytes };
  // 0.5: a zip of model.json and its shards; 0.4 packages may name model.json itself, its shards beside it.
  let files: PackageEntry[] = [...entries];
  if (entry.name.toLowerCase().endsWith('.zip')) {
    try {
      files = Object.entries(unzipSync(entry.bytes)).filter(([path]) => !path.endsWith('/')).map(([path, bytes]) => ({ name: baseName(path), bytes }));
    } catch (error) {
      throw new StudioError('decode-failed', `${isolate(packageName)}: its TensorFlow.js weights ${isolate(entry.name)} could not be unzipped (${error instanceof Error ? error.message : String(error)}).`);
    }
  }
  const modelJson = entry.name.toLowerCase().endsWith('.json') ? entry : files.find((f) => f.name === 'model.json');
  if (!modelJson) throw new StudioError('decode-failed', `${isolate(packageName)}: its TensorFlow.js weights ${isolate(entry.name)} hold no model.json.`);
  return { kind: 'tensorflow_js', modelJson: strFromU8(modelJson.bytes), files: files.filter((f) => f !== modelJson) };
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
