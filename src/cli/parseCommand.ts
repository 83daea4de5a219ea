import { parseArgs } from 'node:util';
import type { NodeBackendChoice } from './nodeBackend';

export const USAGE = `unet-studio: the studio's engine on a project file, without a browser.

  npx unet-studio train PROJECT.zip --out DIR [--steps N] [--preset tiny|fast|paper] [--fresh] [--backend B]
  npx unet-studio predict PROJECT.zip --out DIR [--tta] [--backend B]

PROJECT.zip is a project exported from the studio (project bar: Export project).
train    trains the project's network with its own training settings (--steps and --preset
         override them; --fresh starts from new weights instead of the project's model) and writes
         DIR/<name>.zip, the trained project (Import project opens it in the studio), and
         DIR/model/ (model.json, weights, metadata: Import model takes them).
predict  predicts every slice with the project's model and writes DIR/<name>.zip with the
         predictions, and DIR/predictions/<slice>.tif (each pixel's most probable class).
--backend auto (default: WebGPU on a GPU, else WebAssembly on the CPU), webgpu, wasm or cpu.
Ctrl-C stops training after the current step and still writes what it reached.`;

export type Command =
  | { readonly kind: 'help' }
  | {
      readonly kind: 'train';
      readonly project: string;
      readonly out: string;
      readonly steps: number | null;
      readonly preset: 'tiny' | 'fast' | 'paper' | null;
      readonly fresh: boolean;
      readonly backend: NodeBackendChoice;
    }
  | { readonly kind: 'predict'; readonly project: string; readonly out: string; readonly tta: boolean; readonly backend: NodeBackendChoice };

/** A mistake in the command line: the message says what to change; the usage follows it. */
export class UsageError extends Error {}

const BACKENDS: readonly NodeBackendChoice[] = ['auto', 'webgpu', 'wasm', 'cpu'];
const PRESETS = ['tiny', 'fast', 'paper'] as const;

export function parseCommand(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        steps: { type: 'string' },
        preset: { type: 'string' },
        fresh: { type: 'boolean', default: false },
        tta: { type: 'boolean', default: false },
        backend: { type: 'string', default: 'auto' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const [kind, project, ...extra] = positionals;
  if (values.help || kind === undefined || kind === 'help') return { kind: 'help' };
  if (kind !== 'train' && kind !== 'predict') throw new UsageError(`Unknown command "${kind}": use train or predict.`);
  if (project === undefined) throw new UsageError(`${kind} needs a project file (PROJECT.zip).`);
  if (extra.length > 0) throw new UsageError(`One project at a time: "${extra.join(' ')}" is left over.`);
  if (values.out === undefined) throw new UsageError(`${kind} needs --out DIR, the folder to write results into.`);
  const backend = values.backend as NodeBackendChoice;
  if (!BACKENDS.includes(backend)) throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')} (got "${values.backend}").`);
  if (kind === 'predict') {
    if (values.steps !== undefined || values.preset !== undefined || values.fresh) throw new UsageError('--steps, --preset and --fresh are for train, not predict.');
    return { kind, project, out: values.out, tta: values.tta, backend };
  }
  if (values.tta) throw new UsageError('--tta is for predict, not train.');
  return { kind, project, out: values.out, steps: parseSteps(values.steps), preset: parsePreset(values.preset), fresh: values.fresh, backend };
}

function parseSteps(text: string | undefined): number | null {
  if (text === undefined) return null;
  const steps = Number(text);
  if (!Number.isInteger(steps) || steps < 1) throw new UsageError(`--steps must be a whole number of at least 1 (got "${text}").`);
  return steps;
}

function parsePreset(text: string | undefined): 'tiny' | 'fast' | 'paper' | null {
  if (text === undefined) return null;
  const preset = PRESETS.find((p) => p === text);
  if (!preset) throw new UsageError(`--preset must be one of ${PRESETS.join(', ')} (got "${text}").`);
  return preset;
}
