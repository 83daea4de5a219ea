import { useStudioState } from '../StudioContext';

const LABEL = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WebAssembly (CPU)', cpu: 'CPU' } as const;

/** Which compute backend the engine got, and why: the first thing a user should know. */
export function BackendBadge() {
  const status = useStudioState((s) => s.engineStatus);
  const backend = useStudioState((s) => s.backend);
  if (status === 'starting') return <p className="backend" role="status" aria-label="Compute backend">Starting the compute engine…</p>;
  if (status === 'failed' || !backend) return <p className="backend backend-failed" role="status" aria-label="Compute backend">No compute engine</p>;
  return (
    <p className={`backend backend-${backend.backend}`} role="status" aria-label="Compute backend" data-backend={backend.backend}>
      <span>
        <strong>Compute: {LABEL[backend.backend]}{backend.threads !== undefined ? `, ${backend.threads} thread${backend.threads === 1 ? '' : 's'}` : ''}</strong>
        {backend.adapter ? <span className="adapter"> · {backend.adapter}</span> : null}
      </span>
      <span className="reason" title={backend.reason}>{backend.reason}</span>
      {/* A software GPU adapter is ~20x slower per training step than WebAssembly in our browser bench (unless wasm itself failed here). */}
      {backend.software && !backend.attempts.some((a) => a.backend === 'wasm' && a.failure !== undefined) ? (
        <span className="reason backend-software-hint">
          This adapter is software, not a GPU: the <a href="?backend=wasm">WebAssembly backend</a> is usually much faster here.
        </span>
      ) : null}
    </p>
  );
}
