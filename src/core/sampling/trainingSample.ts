/** One training image with its targets, all of the same size. */
export interface TrainingSample {
  readonly width: number;
  readonly height: number;
  /** Interleaved image channels (1 for grey). */
  readonly channels: number;
  /** width * height * channels values. */
  readonly image: Float32Array;
  /** width * height class indices; UNLABELLED (-1) where not annotated. */
  readonly labels: Int32Array;
  /** width * height per-pixel loss weights (0 = ignored). */
  readonly weights: Float32Array;
}
