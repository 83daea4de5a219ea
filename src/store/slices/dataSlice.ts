import type { PixelDType } from '../../core/image/imageStack';
import type { PixelRect } from '../../core/image/pixelRect';
import type { LabelKind } from '../../core/labels/interpretLabels';

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
  /** A file that is not an image at all (notes, spreadsheets) was skipped, which is no failure: shown quietly. */
  readonly skipped?: true;
}

/** How one label file was read (the Data panel shows it and offers the other ways). */
export interface LabelFileSummary {
  readonly path: string;
  /** The image it labels (paired by name). */
  readonly image: string;
  readonly kind: LabelKind;
  /** The ways this file can be read. */
  readonly kinds: readonly LabelKind[];
  /** In words: "binary mask: 255 is foreground, 0 background". */
  readonly description: string;
}

/** Files of the import on screen, as taken (images, label files paired or not), and the user's pairings by hand. */
export interface ImportPairing {
  readonly images: readonly string[];
  readonly labels: readonly string[];
  /** [label file, the image it labels, or null for an image of its own]. */
  readonly byHand: readonly (readonly [string, string | null])[];
}

export const NO_PAIRING: ImportPairing = { images: [], labels: [], byHand: [] };

/** What is loaded, by id; pixels and labels live in the page's SliceRegistry. */
export interface DataSlice {
  data: {
    slices: SliceSummary[];
    currentSliceId: string | null;
    /** Bumps whenever label pixels change, so views redraw. */
    labelsRevision: number;
    /** What the latest bump changed: one slice's rectangle (a view redraws just that), or null (anything, anywhere). */
    labelsChange: { readonly sliceId: string; readonly rect: PixelRect } | null;
    /** Class names, index = class value (0 = background). */
    classNames: string[];
    /**
     * Colours the user chose, '#rrggbb', index = class value; a missing or null entry means the
     * class's default colour (so anything that renames or adds classes needs not know about colours).
     */
    classColours: (string | null)[];
    import: {
      status: 'idle' | 'reading' | 'done' | 'failed';
      /** One line for the user, e.g. "2 images paired with labels, 1 image without labels". */
      summary: string | null;
      problems: ImportProblem[];
      /** The label files of the import on screen; empty once other data replaced it. */
      labelFiles: LabelFileSummary[];
      /** The import's files that can be paired by hand (the Data panel's Pair by hand), and the pairings made; empty once other data replaced it. */
      pairing: ImportPairing;
    };
  };
}

export const initialData: DataSlice['data'] = {
  slices: [],
  currentSliceId: null,
  labelsRevision: 0,
  labelsChange: null,
  classNames: ['background', 'foreground'],
  classColours: [],
  import: { status: 'idle', summary: null, problems: [], labelFiles: [], pairing: NO_PAIRING },
};
