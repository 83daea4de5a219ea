/** bench:quality's checkpoints: a side's weights at a step, with its training seconds so far. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

export interface Checkpoint { readonly step: number; readonly trainSeconds: number; readonly weights: Map<string, Float32Array> }

/** PyTorch's checkpoints (train_starter.py --checkpoint-every): tfjs-layout float32 arrays keyed by layer name. */
export function readTorchCheckpoints(dir: string): Checkpoint[] {
  const list = JSON.parse(readFileSync(path.join(dir, 'checkpoints.json'), 'utf8')) as { step: number; trainSeconds: number }[];
  return list.map(({ step, trainSeconds }) => {
    const specs = JSON.parse(readFileSync(path.join(dir, `step${step}.json`), 'utf8')) as { name: string; shape: number[]; offset: number }[];
    const bytes = readFileSync(path.join(dir, `step${step}.bin`));
    const weights = new Map(specs.map(({ name, shape, offset }) => {
      const count = shape.reduce((a, b) => a * b, 1);
      return [name, new Float32Array(bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + count * 4))] as const;
    }));
    return { step, trainSeconds, weights };
  });
}

/**
 * Writes a checkpoint's weights into a model's variables (namedWeights), each by name; `mismatch` words the error
 * for a weight the model has no variable of that size for.
 */
export function loadCheckpoint(variables: ReadonlyMap<string, tf.LayerVariable>, checkpoint: Checkpoint, mismatch: (key: string) => string): void {
  for (const [key, values] of checkpoint.weights) {
    const variable = variables.get(key);
    const size = variable?.shape.reduce<number>((a, b) => a * (b ?? 0), 1);
    if (!variable || size !== values.length) throw new Error(mismatch(key));
    const value = tf.tensor(values, variable.shape as number[], 'float32');
    variable.write(value);
    value.dispose();
  }
}
