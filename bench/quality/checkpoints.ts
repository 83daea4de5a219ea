/** bench:quality's checkpoints: a side's weights at a step, with its training seconds so far. */
import { readFileSync } from 'node:fs';
import path from 'node:path';

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
