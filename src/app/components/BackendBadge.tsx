import { useStudioState } from '../StudioContext';

const LABEL = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WebAssembly (CPU)', cpu: 'CPU' } as const;

/**
 * A GPU backend on a software adapter (no real GPU) is far slower than the WebAssembly backend:
 * ~20x per training step in our browser bench. Say so, with a same-origin link that switches.
 */
export function isSoftwareAdapter(backend: string, adapter: string | undefined): boolean {
  return (backend === 'webgpu' || backend === 'webgl') && /swiftshader|llvmpipe|software|fallback|basic render/i.test(adapter ?? '');
}

/** Which compute backend the engine got, and why: the first thing a user should know. */
export function BackendBadge() {
  const status = useStudioState((s) => s.engineStatus);
  const backend = useStudioState((s) => s.backend);
  if (status === 'starting') return <p className="backend" role="status" aria-label="Compute backend">Starting the compute engine…</p>;
  if (status === 'failed' || !backend) return <p className="backend backend-failed" role="status" aria-label="Compute backend">No compute engine</p>;
  return (
    <p className={`backend backend-${backend.backend}`} role="status" aria-label="Compute backend" data-backend={backend.backend}>
      <span>
        <strong>Compute: {LABEL[backend.backend]}</strong>
        {backend.adapter ? <span className="adapter"> · {backend.adapter}</span> : null}
      </span>
      <span className="reason">{backend.reason}</span>
      {isSoftwareAdapter(backend.backend, backend.adapter) ? (
        <span className="reason backend-software-hint">
          This adapter is software, not a GPU: the <a href="?backend=wasm">WebAssembly backend</a> is usually much faster here.
        </span>
      ) : null}
    </p>
  );
}
