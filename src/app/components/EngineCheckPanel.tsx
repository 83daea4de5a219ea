import { PARITY_TOLERANCE } from '../connectEngine';
import { TRAIN_CHECK_STEPS } from '../selfTestConfigs';
import { useStudioActions, useStudioState } from '../StudioContext';
import { LossChart } from './LossChart';

const STATUS_TEXT = {
  idle: 'Not run yet.',
  running: 'Running…',
  passed: 'Passed: this browser can train U-Nets.',
  failed: 'Failed: see the details below.',
} as const;

/**
 * "Does my GPU work?": one forward pass compared with the CPU, and a few
 * training steps of a tiny U-Net whose loss must fall.
 */
export function EngineCheckPanel() {
  const ready = useStudioState((s) => s.engineStatus === 'ready');
  const check = useStudioState((s) => s.selfTest);
  const { runEngineCheck } = useStudioActions();
  const first = check.losses[0];
  const last = check.losses.at(-1);

  return (
    <section aria-labelledby="engine-check-title" className="panel">
      <h2 id="engine-check-title">Engine check</h2>
      <p>Runs a tiny U-Net on the compute backend: one forward pass compared with the CPU, then {TRAIN_CHECK_STEPS} training steps.</p>
      <button type="button" onClick={runEngineCheck} disabled={!ready || check.status === 'running'}>Run engine check</button>
      <p role="status" aria-label="Engine check status" data-status={check.status}>{STATUS_TEXT[check.status]}</p>
      <dl>
        {check.parity ? (
          <>
            <dt>Forward pass, {check.parity.backend} vs CPU</dt>
            <dd aria-label="Parity with CPU" data-relative-error={check.parity.relativeError}>
              max relative difference {check.parity.relativeError.toExponential(1)}{' '}
              ({check.parity.relativeError < PARITY_TOLERANCE ? 'equal within' : 'NOT within'} {PARITY_TOLERANCE.toExponential(0)})
            </dd>
          </>
        ) : null}
        {first !== undefined && last !== undefined ? (
          <>
            <dt>Training loss</dt>
            <dd aria-label="Training loss">
              {first.toFixed(4)} → {last.toFixed(4)} after {check.losses.length} steps
              {check.stepMs !== null ? `, ${(check.stepMs / 1000).toFixed(2)} s per step` : ''}
            </dd>
          </>
        ) : null}
        {check.numTensorsLeaked !== null ? (
          <>
            <dt>Memory</dt>
            <dd>{check.numTensorsLeaked === 0 ? 'no tensors leaked' : `${check.numTensorsLeaked} tensors leaked`}</dd>
          </>
        ) : null}
      </dl>
      <LossChart losses={check.losses} label="Engine check training loss per step" />
    </section>
  );
}
