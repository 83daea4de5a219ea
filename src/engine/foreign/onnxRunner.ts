import { StudioError } from '../../core/errors';
import type { ForeignRun } from '../../core/bioimageioImport/foreignTileModel';
import { conciseMessage } from '../../core/text/conciseMessage';
import { isolate } from '../../core/text/isolate';
import { loadOnnxRuntime } from './loadOnnxRuntime';

export interface ForeignRunner {
  readonly run: ForeignRun;
  dispose(): Promise<void>;
}

/** An ONNX network in onnxruntime-web (wasm): its first input in, its first output out. */
export async function createOnnxRunner(bytes: Uint8Array, packageName: string): Promise<ForeignRunner> {
  const ort = await loadOnnxRuntime();
  let session: Awaited<ReturnType<typeof ort.InferenceSession.create>>;
  try {
    session = await ort.InferenceSession.create(bytes);
  } catch (error) {
    const { text } = conciseMessage(error instanceof Error ? error.message : String(error));
    throw new StudioError('decode-failed', `${isolate(packageName)}: onnxruntime could not load its ONNX weights (${text}). The file is damaged or uses operators onnxruntime-web lacks; run it with bioimageio.core instead.`);
  }
  const inputName = session.inputNames[0] as string;
  const outputName = session.outputNames[0] as string;
  return {
    async run(input) {
      const feeds = { [inputName]: new ort.Tensor('float32', input.data, [...input.dims]) };
      const results = await session.run(feeds);
      const output = results[outputName];
      if (!output) throw new StudioError('shape-mismatch', `${isolate(packageName)}: its network returned no output.`);
      const data = output.type === 'float32' ? output.data as Float32Array : Float32Array.from(output.data as ArrayLike<number>);
      for (const tensor of Object.values(results)) tensor.dispose();
      return { data: Float32Array.from(data), dims: [...output.dims] };
    },
    async dispose() {
      await session.release();
    },
  };
}
