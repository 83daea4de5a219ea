import type { ReactNode } from 'react';
import type { WorkflowStep } from '../../store/slices/viewSlice';
import { WORKFLOW_STEPS } from '../../store/slices/viewSlice';
import { useStudioActions, useStudioState } from '../StudioContext';
import { DataPanel } from './DataPanel';
import { EngineCheckPanel } from './EngineCheckPanel';
import { ErrorBoundary } from './ErrorBoundary';
import { LabelPanel } from './LabelPanel';
import { ModelPanel } from './ModelPanel';
import { PredictPanel } from './PredictPanel';
import { PreviewPanel } from './PreviewPanel';
import { TrainingDock } from './TrainingDock';
import { TrainingPanel } from './TrainingPanel';

const PANELS: Record<WorkflowStep, { readonly boundary: string; readonly body: () => ReactNode }> = {
  Data: { boundary: 'data', body: () => <DataPanel /> },
  Label: { boundary: 'labelling', body: () => <LabelPanel /> },
  Previews: { boundary: 'previews', body: () => <PreviewPanel /> },
  Train: { boundary: 'training', body: () => <TrainingPanel /> },
  Predict: { boundary: 'prediction', body: () => <PredictPanel /> },
  'Model and exports': { boundary: 'model', body: () => <ModelPanel /> },
};

export const stepElementId = (step: WorkflowStep) => `step-${step.toLowerCase().replace(/\W+/g, '-')}`;

/**
 * The workflow beside the canvas, as ilastik's applet bar: one button per step in the journey's
 * order, exactly one step open. Closed steps stay mounted (hidden), so a run, an import or a
 * half-typed field in them carries on while another step is open.
 */
export function WorkflowPanel() {
  const openStep = useStudioState((s) => s.view.openStep);
  const { setView } = useStudioActions();

  return (
    <aside className="workflow" aria-label="Workflow">
      <div className="workflow-steps">
        {WORKFLOW_STEPS.map((step, index) => {
          const open = step === openStep;
          const { boundary, body } = PANELS[step];
          return (
            <div key={step} className={open ? 'workflow-step open' : 'workflow-step'}>
              <button
                type="button"
                className="workflow-step-button"
                aria-expanded={open}
                aria-controls={stepElementId(step)}
                onClick={() => setView({ openStep: step })}
              >
                <span className="workflow-step-number" aria-hidden="true">{index + 1}</span>
                {step}
              </button>
              <div id={stepElementId(step)} className="workflow-step-body" hidden={!open}>
                <ErrorBoundary name={boundary}>{body()}</ErrorBoundary>
              </div>
            </div>
          );
        })}
      </div>
      <TrainingDock />
      <details className="engine-check-details">
        <summary>Engine check</summary>
        <ErrorBoundary name="engine check"><EngineCheckPanel /></ErrorBoundary>
      </details>
    </aside>
  );
}
