/**
 * A 2-D image of any pixel type with interleaved channels:
 * index = (y * width + x) * channels + c. Label maps and weight maps are
 * rasters with one channel.
 */
export type RasterData = Float32Array | Float64Array | Int32Array | Uint8Array | Uint16Array | Int16Array;

export interface Raster<T extends RasterData = RasterData> {
  readonly data: T;
  readonly width: number;
  readonly height: number;
  readonly channels: number;
}

/** A new zeroed array of the same type as `like`. */
export function allocLike<T extends RasterData>(like: T, length: number): T {
  return new (like.constructor as new (length: number) => T)(length);
}
