import type { PixelDType } from '../../core/image/imageStack';

export interface SliceSummary {
  readonly id: string;
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly dtype: PixelDType;
  readonly labelled: boolean;
}

/** One file the import could not use, and why (shown beside the drop zone). */
export interface ImportProblem {
  readonly path: string;
  readonly message: string;
}

/** What is loaded, by id; pixels and labels live in the page's SliceRegistry. */
export interface DataSlice {
  data: {
    slices: SliceSummary[];
    currentSliceId: string | null;
    /** Bumps whenever label pixels change, so views redraw. */
    labelsRevision: number;
    /** Class names, index = class value (0 = background). */
    classNames: string[];
    import: {
      status: 'idle' | 'reading' | 'done' | 'failed';
      /** One line for the user, e.g. "2 images paired with labels, 1 image without labels". */
      summary: string | null;
      problems: ImportProblem[];
    };
  };
}

export const initialData: DataSlice['data'] = {
  slices: [],
  currentSliceId: null,
  labelsRevision: 0,
  classNames: ['background', 'foreground'],
  import: { status: 'idle', summary: null, problems: [] },
};
