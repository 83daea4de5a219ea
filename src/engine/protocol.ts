/**
 * The page <-> engine worker protocol. Every message carries the `runId` of the
 * request it belongs to; errors travel as data. Both unions are switched on
 * exhaustively (a `never` default), so adding a message type is a compile error
 * until both sides handle it.
 */
import type { UNetConfig } from '../core/model/unetConfig';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export interface BackendAttempt {
  readonly backend: BackendName;
  /** Why this backend was not used; absent for the one that was. */
  readonly failure?: string;
}

export interface BackendReport {
  readonly backend: BackendName;
  /** One sentence for the user: why this backend runs. */
  readonly reason: string;
  /** GPU adapter description where the browser tells it (e.g. "SwiftShader"). */
  readonly adapter?: string;
  readonly attempts: readonly BackendAttempt[];
}

export interface EngineErrorData {
  readonly code: string;
  readonly message: string;
  /** What the engine was doing: "start-up", "engine check", ... */
  readonly phase: string;
}

export type EngineRequest =
  | { readonly type: 'engine/init'; readonly runId: string; readonly backends?: readonly BackendName[] }
  | { readonly type: 'selftest/parity'; readonly runId: string; readonly config: UNetConfig; readonly seed: number }
  | {
      readonly type: 'selftest/train';
      readonly runId: string;
      readonly config: UNetConfig;
      readonly steps: number;
      readonly learningRate: number;
      readonly seed: number;
    };

export type EngineEvent =
  | { readonly type: 'engine/ready'; readonly runId: string; readonly report: BackendReport }
  | {
      readonly type: 'selftest/parity-result';
      readonly runId: string;
      readonly backend: BackendName;
      /** max |backend - cpu| / max |cpu| over the logits of one forward pass. */
      readonly relativeError: number;
      readonly maxAbsDiff: number;
      readonly outputShape: readonly number[];
    }
  | { readonly type: 'selftest/train-step'; readonly runId: string; readonly step: number; readonly loss: number; readonly elapsedMs: number }
  | { readonly type: 'selftest/train-done'; readonly runId: string; readonly losses: readonly number[]; readonly numTensorsLeaked: number }
  | { readonly type: 'error'; readonly runId: string; readonly error: EngineErrorData };

export type EngineEventOf<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>;
