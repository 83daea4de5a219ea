/**
 * The one in-memory image type: a stack of 2-D slices with interleaved channels.
 * Every decoder returns it; every algorithm takes it or one slice of it.
 */
export type PixelDType = 'uint8' | 'uint16' | 'uint32' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

export type PixelArray = Uint8Array | Uint16Array | Uint32Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface ImageStack {
  readonly width: number;
  readonly height: number;
  readonly slices: number;
  /** 1 for grey, 3 for RGB, 4 for RGBA. */
  readonly channels: number;
  readonly dtype: PixelDType;
  /** Slice-major, rows, then pixels, channels interleaved: index = ((z * height + y) * width + x) * channels + c. */
  readonly data: PixelArray;
}

/** One 2-D slice of a stack as a view (no copy). */
export function sliceOf(stack: ImageStack, z: number): PixelArray {
  const size = stack.width * stack.height * stack.channels;
  return stack.data.subarray(z * size, (z + 1) * size);
}

export function pixelArrayFor(dtype: PixelDType, length: number): PixelArray {
  switch (dtype) {
    case 'uint8': return new Uint8Array(length);
    case 'uint16': return new Uint16Array(length);
    case 'uint32': return new Uint32Array(length);
    case 'int8': return new Int8Array(length);
    case 'int16': return new Int16Array(length);
    case 'int32': return new Int32Array(length);
    case 'float32': return new Float32Array(length);
    case 'float64': return new Float64Array(length);
    default: {
      const unknown: never = dtype;
      throw new Error(`Unknown pixel type ${String(unknown)}`);
    }
  }
}
