/**
 * ONNX parity on weights that were really trained: the shipped starter models (public/starters,
 * the fast preset's network: same padding, batch norm, depth 4) on real images from ../shared/data
 * (a DSB 2018 nucleus image, an ISBI 2012 test slice), at the starters' 256 px tile (other sizes:
 * exportOnnx.test.ts; the tfjs cpu reference costs about 10 s a pass here).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff } from '../../testUtils/compareArrays';
import { runOnnx, tfjsProbabilitiesNchw } from '../../testUtils/onnxRuntime';
import { hasSharedData, SHARED_DATA } from '../../testing/testPeers';
import { sliceOf } from '../image/imageStack';
import { normaliseImage } from '../image/normaliseImage';
import { decodeImageFile } from '../io/decodeImageFile';
import { loadModelFiles } from '../model/modelFiles';
import { cropMirrored } from '../sampling/cropMirrored';
import { DEFAULT_ONNX_INPUT, exportOnnx } from './exportOnnx';

const STARTERS = path.resolve(import.meta.dirname, '../../../public/starters');
const cases = [
  { starter: 'nuclei', image: 'nuclei/dsb2018-stage1-subset/images/0ddd8deaf1696db68b00c600601c6a74a0502caaf274222c8367bdc31458ae7e.png' },
  { starter: 'em', image: 'isbi2012/tif/test-volume.tif' },
];

beforeAll(async () => void (await tf.setBackend('cpu')));

describe.each(cases)('exportOnnx on the $starter starter', ({ starter, image }) => {
  it.skipIf(!hasSharedData(image))('gives onnxruntime-web the tfjs probabilities on a real image', async () => {
    const modelJson = readFileSync(path.join(STARTERS, starter, 'model.json'), 'utf8');
    const weights = readFileSync(path.join(STARTERS, starter, 'model.weights.bin'));
    const { model, metadata } = await loadModelFiles(modelJson, [weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength)]);
    const onnx = exportOnnx(model);
    const stack = decodeImageFile(path.basename(image), new Uint8Array(readFileSync(path.join(SHARED_DATA, image))));
    const pixels = sliceOf(stack, 0);
    const firstChannel = Float32Array.from({ length: stack.width * stack.height }, (_, i) => pixels[i * stack.channels] as number);
    const sizePx = metadata.architecture.tileSizePx;
    const crop = cropMirrored({ data: firstChannel, width: stack.width, height: stack.height, channels: 1 }, { x: 0, y: 0, width: sizePx, height: sizePx });
    const input = normaliseImage(crop.data, 1, metadata.normalisation);
    const expected = tfjsProbabilitiesNchw(model, input, 1, sizePx, 1);
    const actual = await runOnnx(onnx, DEFAULT_ONNX_INPUT, input, [1, 1, sizePx, sizePx]);
    const difference = maxAbsDiff(actual.data, expected);
    console.info(`ONNX vs tfjs, ${starter} starter (trained), ${sizePx} px: max |probability difference| ${difference.toExponential(2)}`);
    expect(difference).toBeLessThan(1e-4);
    model.dispose();
  }, 120_000);
});
