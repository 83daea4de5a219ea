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
};
