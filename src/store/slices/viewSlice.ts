/** The workflow steps of the side panel, in the journey's order; each names its region and the button that opens it. */
export const WORKFLOW_STEPS = ['Data', 'Label', 'Previews', 'Train', 'Predict', 'Model and exports'] as const;
export type WorkflowStep = (typeof WORKFLOW_STEPS)[number];

/** How the canvas shows the current slice. Zoom and pan stay in the canvas (they change per pointer move). */
export interface ViewSlice {
  view: {
    labelOpacity: number;
    predictionOpacity: number;
    showLabels: boolean;
    showPrediction: boolean;
    /** auto: 0.5-99.5 percentile of the slice; manual: the user's window in raw units (16-bit data). */
    contrast: { mode: 'auto' } | { mode: 'manual'; low: number; high: number };
    /** What the prediction layer shows. */
    predictionView: 'classes' | 'probability' | 'instances';
    /** What is drawn over the image besides labels and prediction. */
    preview: 'none' | 'weights';
    /** The one workflow step open in the side panel (ilastik's applet bar: one at a time). */
    openStep: WorkflowStep;
    /** The keyboard-shortcut sheet ("?") is open. */
    shortcutSheetOpen: boolean;
  };
}

export const initialView: ViewSlice['view'] = {
  labelOpacity: 0.4,
  predictionOpacity: 0.5,
  showLabels: true,
  showPrediction: true,
  contrast: { mode: 'auto' },
  predictionView: 'classes',
  preview: 'none',
  openStep: 'Data',
  shortcutSheetOpen: false,
};
