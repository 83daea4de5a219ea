import { StudioError } from '../../core/errors';
import type { ForeignModelSpec } from '../../core/bioimageioImport/foreignModelSpec';
import { foreignPredictionTiling } from '../../core/bioimageioImport/foreignTiling';
import { foreignTileModel } from '../../core/bioimageioImport/foreignTileModel';
import { readForeignPackage, type PackageEntry } from '../../core/bioimageioImport/readForeignPackage';
import { reproduceTestOutput, TEST_OUTPUT_ABSOLUTE_TOLERANCE, TEST_OUTPUT_RELATIVE_TOLERANCE } from '../../core/bioimageioImport/reproduceTestOutput';
import type { TileModel } from '../../core/predict/predictTiled';
import { isolate } from '../../core/text/isolate';
import type { ForeignModelSummary } from '../protocol';
import { createOnnxRunner, type ForeignRunner } from './onnxRunner';
import { createTfjsRunner } from './tfjsRunner';

/** A third-party model ready to predict: its description, its runtime and the tile model predictTiled runs. */
export interface LoadedForeignModel {
  readonly spec: ForeignModelSpec;
  readonly tileModel: TileModel;
  readonly summary: ForeignModelSummary;
  dispose(): Promise<void>;
}

/**
 * Reads and checks the package (core), starts its runtime (onnxruntime-web loaded now, not before), and
 * reproduces its test output as `bioimageio test` does: a package the studio would run differently from
 * its authors is refused, and nothing changes.
 */
export async function loadForeignModel(entries: readonly PackageEntry[], packageName: string): Promise<LoadedForeignModel> {
  const pkg = readForeignPackage(entries, packageName);
  const { spec } = pkg;
  if (!foreignPredictionTiling(spec, 256, 256)) {
    throw new StudioError('unsupported-format', `${isolate(packageName)} cannot be run here: no square tile its sizes allow keeps any output once its halo (${spec.output.haloPx} px) is cut off. The studio predicts in square tiles.`);
  }
  const runner: ForeignRunner = pkg.weights.kind === 'onnx'
    ? await createOnnxRunner(pkg.weights.bytes, packageName)
    : await createTfjsRunner(pkg.weights.modelJson, pkg.weights.files, packageName);
  try {
    const check = await reproduceTestOutput(pkg, runner.run).catch((error: unknown) => {
      throw new StudioError('decode-failed', `${isolate(packageName)}: its network failed on its own test input (${error instanceof Error ? error.message.split('\n')[0] : String(error)}).`);
    });
    if (check && !check.reproduced) {
      throw new StudioError('invalid-config', `${isolate(packageName)} does not reproduce its own test output here: ${check.why} (allowed: ${TEST_OUTPUT_ABSOLUTE_TOLERANCE} + ${TEST_OUTPUT_RELATIVE_TOLERANCE} x |value|). ` +
        'The studio would not predict as its authors do; run it with bioimageio.core.');
    }
    return {
      spec,
      tileModel: foreignTileModel(spec, runner.run),
      summary: {
        name: spec.name,
        packageName,
        formatVersion: spec.formatVersion,
        weights: spec.weights.kind,
        classNames: spec.classNames,
        assumptions: check ? spec.assumptions : [...spec.assumptions, 'It has no test tensors, so the studio could not check that it runs it as its authors do.'],
        testMaxAbsDifference: check ? check.maxAbsDifference : null,
      },
      dispose: () => runner.dispose(),
    };
  } catch (error) {
    await runner.dispose();
    throw error;
  }
}
