import type { Raster } from '../sampling/raster';

/**
 * Test-time augmentation for a network outside tfjs: runs `predict` on the 8 flips and quarter turns of
 * a square tile, turns each result back and averages them (predictTiled does the same with tensors for
 * the studio's own nets).
 */
export async function dihedralAverage(input: Raster<Float32Array>, predict: (view: Raster<Float32Array>) => Promise<Raster<Float32Array>>): Promise<Float32Array> {
  let sum: Float32Array | null = null;
  for (const flip of [false, true]) {
    for (let quarterTurns = 0; quarterTurns < 4; quarterTurns++) {
      let view = flip ? mirrorX(input) : input;
      for (let i = 0; i < quarterTurns; i++) view = rotate90(view);
      let back = await predict(view);
      for (let i = 0; i < (4 - quarterTurns) % 4; i++) back = rotate90(back); // 4 - k more turns undo k
      if (flip) back = mirrorX(back);
      if (!sum) sum = new Float32Array(back.data.length);
      for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] as number) + (back.data[i] as number);
    }
  }
  return (sum as Float32Array).map((v) => v / 8);
}

/** out(y, x) = in(y, width - 1 - x). */
function mirrorX(r: Raster<Float32Array>): Raster<Float32Array> {
  const { width, height, channels } = r;
  const data = new Float32Array(r.data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) data[(y * width + x) * channels + c] = r.data[(y * width + width - 1 - x) * channels + c] as number;
    }
  }
  return { data, width, height, channels };
}

/** A quarter turn counter-clockwise: out(y, x) = in(x, width - 1 - y), out is width tall and height wide. */
function rotate90(r: Raster<Float32Array>): Raster<Float32Array> {
  const { width, height, channels } = r;
  const data = new Float32Array(r.data.length);
  for (let y = 0; y < width; y++) {
    for (let x = 0; x < height; x++) {
      for (let c = 0; c < channels; c++) data[(y * height + x) * channels + c] = r.data[(x * width + width - 1 - y) * channels + c] as number;
    }
  }
  return { data, width: height, height: width, channels };
}
