import type { PixelArray } from '../image/imageStack';
import type { TileModel } from '../predict/predictTiled';
import type { Raster } from '../sampling/raster';
import { applyProcessing } from './applyProcessing';
import { dihedralAverage } from './dihedralAverage';
import { predictionPostprocessing, type ForeignModelSpec } from './foreignModelSpec';
import { fromModelLayout, toClassProbabilities, toModelLayout, type ModelTensor } from './tensorLayout';

/** Runs the network itself on one tensor in its own layout (onnxruntime-web, or a tfjs graph / layers model). */
export type ForeignRun = (input: ModelTensor) => Promise<ModelTensor>;

/**
 * A third-party network as predictTiled runs it: each (already preprocessed) tile in the model's
 * axis order, its output back to pixels, the rdf's postprocessing (binarize left to the threshold
 * slider), the channels as class probabilities.
 */
export function foreignTileModel(spec: ForeignModelSpec, run: ForeignRun): TileModel {
  const postprocessing = predictionPostprocessing(spec);
  const once = async (tile: Raster<Float32Array>): Promise<Raster<Float32Array>> => {
    const output = fromModelLayout(await run(toModelLayout(tile, spec.input.axes)), spec.output.axes);
    return { ...output, data: applyProcessing(output.data, output.channels, postprocessing) };
  };
  const numClasses = spec.classNames.length;
  return {
    numClasses,
    async tileProbabilities(input, testTimeAugmentation) {
      if (!testTimeAugmentation) return toClassProbabilities(await once(input));
      const averaged = await dihedralAverage(input, once);
      return toClassProbabilities({ data: averaged, width: input.width, height: input.height, channels: spec.output.channels });
    },
  };
}

/** A raw slice (one channel, any dtype) through the rdf's preprocessing, over the whole slice as bioimage.io's per-sample statistics mean. */
export function preprocessSlice(spec: ForeignModelSpec, pixels: PixelArray, width: number, height: number): Raster<Float32Array> {
  return { data: applyProcessing(Float32Array.from(pixels, Math.fround), 1, spec.input.preprocessing), width, height, channels: 1 };
}
