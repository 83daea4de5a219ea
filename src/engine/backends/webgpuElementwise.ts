import type { DataType, KernelBackend, TensorInfo } from '@tensorflow/tfjs';

/**
 * A one-dispatch elementwise WebGPU program for tfjs's backend: `result[i] = <expression>`, where
 * the expression reads the inputs by name at `index` (or any index it computes) and the program's
 * f32 uniforms by `uniforms.<name>`. What a chain of tfjs ops costs in dispatches (and in the JS
 * that encodes each), one program costs once.
 */

/** What runs a program on tfjs's WebGPU backend (WebGPUBackend.runWebGPUProgram; typed here to need no deep import). */
export interface WebGpuProgramRunner {
  runWebGPUProgram(program: object, inputs: TensorInfo[], outputDtype: DataType, uniforms?: { type: string; data: number[] }[]): TensorInfo;
}

const WORKGROUP_SIZE = 128;

class ElementwiseProgram {
  readonly outputShape: number[];
  readonly dispatchLayout: { x: number[] };
  readonly dispatch: [number, number, number];
  readonly workgroupSize: [number, number, number] = [WORKGROUP_SIZE, 1, 1];
  readonly size = true;
  readonly uniforms?: string;

  constructor(
    readonly shaderKey: string,
    readonly variableNames: string[],
    uniformNames: string[],
    outputShape: number[],
    private readonly body: string,
  ) {
    this.outputShape = outputShape;
    this.dispatchLayout = { x: outputShape.map((_, i) => i) };
    const size = outputShape.reduce((a, b) => a * b, 1);
    this.dispatch = [Math.ceil(size / WORKGROUP_SIZE), 1, 1];
    if (uniformNames.length > 0) this.uniforms = uniformNames.map((u) => `${u} : f32,`).join(' ');
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          ${this.body}
        }
      }
    `;
  }
}

export interface ElementwiseSpec {
  /** Names the shader cache by: one key per distinct body. */
  key: string;
  /**
   * The inputs it reads, by name (the WGSL arrays' names). Each must be read: WebGPU drops an unread
   * binding from the pipeline's layout, and tfjs then binds one the layout lacks (a validation error).
   */
  inputNames: string[];
  /** f32 uniforms, in order; their values come with each run. */
  uniformNames: string[];
  /** WGSL statements ending in `result[index] = ...;` (a `let` before it may share a subexpression). */
  body: string;
}

/** Runs `spec` over the shape of `shape` (the output's), float32; `inputs` by name (more may be given than it reads). */
export function runElementwise(backend: KernelBackend, spec: ElementwiseSpec, inputs: Record<string, TensorInfo>, shape: number[], uniformValues: number[]): TensorInfo {
  if (uniformValues.length !== spec.uniformNames.length) throw new Error(`${spec.key}: ${spec.uniformNames.length} uniforms expected, ${uniformValues.length} given.`);
  const bound = spec.inputNames.map((name) => {
    const input = inputs[name];
    if (!input) throw new Error(`${spec.key}: no input ${name}.`);
    return input;
  });
  const program = new ElementwiseProgram(`unetStudio_${spec.key}`, spec.inputNames, spec.uniformNames, shape, spec.body);
  return (backend as unknown as WebGpuProgramRunner).runWebGPUProgram(program, bound, 'float32', uniformValues.map((u) => ({ type: 'float32', data: [u] })));
}
