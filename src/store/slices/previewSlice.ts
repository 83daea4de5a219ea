/** The elastic-deformation preview's controls (the paper's 3x3 grid, sigma 10 px by default). Previews compute only while their step is open (view.openStep). */
export interface PreviewSlice {
  preview: {
    elastic: { gridSize: number; sigmaPx: number; seed: number };
  };
}

export const initialPreview: PreviewSlice['preview'] = { elastic: { gridSize: 3, sigmaPx: 10, seed: 1 } };
