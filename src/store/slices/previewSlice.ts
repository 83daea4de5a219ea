/** The elastic-deformation preview's controls (the paper's 3x3 grid, sigma 10 px by default). */
export interface PreviewSlice {
  preview: {
    elastic: { gridSize: number; sigmaPx: number; seed: number };
    open: boolean;
  };
}

export const initialPreview: PreviewSlice['preview'] = { elastic: { gridSize: 3, sigmaPx: 10, seed: 1 }, open: false };
