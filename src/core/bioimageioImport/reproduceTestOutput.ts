import { applyProcessing } from './applyProcessing';
import type { ForeignPackage } from './readForeignPackage';
import type { ForeignRun } from './foreignTileModel';
import { fromModelLayout, toModelLayout } from './tensorLayout';

/** How close the reproduced test output must be: |ours - theirs| <= ABSOLUTE + RELATIVE * |theirs| everywhere. */
export const TEST_OUTPUT_ABSOLUTE_TOLERANCE = 1e-4;
export const TEST_OUTPUT_RELATIVE_TOLERANCE = 1e-3;

export type TestOutputCheck =
  | { readonly reproduced: true; readonly maxAbsDifference: number }
  | { readonly reproduced: false; readonly maxAbsDifference: number; readonly why: string };

/**
 * What `bioimageio test` does with a package, through the studio's own code: the test input through the
 * rdf's preprocessing (over the whole tensor), the network once, every postprocessing step, then compared
 * with the test output. Null where the package has no test tensors.
 */
export async function reproduceTestOutput(pkg: ForeignPackage, run: ForeignRun): Promise<TestOutputCheck | null> {
  const { spec, testInput, testOutput } = pkg;
  if (!testInput || !testOutput) return null;
  const fail = (why: string): TestOutputCheck => ({ reproduced: false, maxAbsDifference: Number.NaN, why });
  let input;
  let expected;
  try {
    input = fromModelLayout({ data: testInput.values, dims: testInput.shape }, spec.input.axes);
    expected = fromModelLayout({ data: testOutput.values, dims: testOutput.shape }, spec.output.axes);
  } catch (error) {
    return fail(`its test tensors do not have the axes its rdf.yaml describes (${error instanceof Error ? error.message : String(error)})`);
  }
  const preprocessed = { ...input, data: applyProcessing(input.data, 1, spec.input.preprocessing) };
  const output = fromModelLayout(await run(toModelLayout(preprocessed, spec.input.axes)), spec.output.axes);
  if (output.width !== expected.width || output.height !== expected.height || output.channels !== expected.channels) {
    return fail(`the network returned ${output.channels} x ${output.height} x ${output.width} values where its test output has ${expected.channels} x ${expected.height} x ${expected.width}`);
  }
  const ours = applyProcessing(output.data, output.channels, spec.output.postprocessing);
  let maxAbsDifference = 0;
  let within = true;
  for (let i = 0; i < ours.length; i++) {
    const theirs = expected.data[i] as number;
    const difference = Math.abs((ours[i] as number) - theirs);
    if (!(difference <= TEST_OUTPUT_ABSOLUTE_TOLERANCE + TEST_OUTPUT_RELATIVE_TOLERANCE * Math.abs(theirs))) within = false;
    maxAbsDifference = Number.isNaN(difference) ? Number.NaN : Math.max(maxAbsDifference, difference);
  }
  return within
    ? { reproduced: true, maxAbsDifference }
    : { reproduced: false, maxAbsDifference, why: `its test output differs from the studio's by up to ${maxAbsDifference.toExponential(2)}` };
}
