import { useMemo } from 'react';
import { useStudioActions, useStudioState } from '../StudioContext';
import { chartSeries } from '../training/chartData';
import { TrainingChart } from './TrainingChart';

/**
 * The training run in small, below the steps while the Train step is closed: the curves stay in
 * view while the user paints or predicts. A click on its title opens the Train step.
 */
export function TrainingDock() {
  const training = useStudioState((s) => s.training);
  const trainOpen = useStudioState((s) => s.view.openStep === 'Train');
  const { setView } = useStudioActions();
  const curves = useMemo(() => chartSeries(training), [training]);
  const total = training.totalSteps;
  if (trainOpen || (training.losses.length === 0 && training.status !== 'running' && training.status !== 'paused')) return null;
  const lastLoss = training.losses.at(-1)?.loss;

  return (
    <div className="training-dock">
      <p className="training-dock-line">
        <button type="button" className="link-button" onClick={() => setView({ openStep: 'Train' })} title="Open the Train step">Training</button>
        <span> step {training.step}{total ? ` / ${total}` : ''} · loss {lastLoss === undefined ? '—' : lastLoss.toFixed(4)} · {training.status === 'running' ? 'running' : training.status}</span>
      </p>
      <TrainingChart losses={curves.losses} validation={curves.validation} compact />
    </div>
  );
}
