import { UNLABELLED } from '../../core/labels/classMap';

export type PaintTool = 'pan' | 'brush' | 'eraser' | 'fill';

/** The paint tools' settings; the label pixels themselves live in the SliceRegistry. */
export interface PaintSlice {
  paint: {
    tool: PaintTool;
    /** The class the brush and fill paint; UNLABELLED paints "not annotated". */
    classValue: number;
    brushRadiusPx: number;
    canUndo: boolean;
    canRedo: boolean;
  };
}

export const initialPaint: PaintSlice['paint'] = { tool: 'pan', classValue: 1, brushRadiusPx: 4, canUndo: false, canRedo: false };
export { UNLABELLED };
