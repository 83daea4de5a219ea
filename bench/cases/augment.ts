import type { BenchCase } from '../benchCase';
import { elasticDeform } from '../../src/core/augment/elasticDeform';
import { PAPER_ELASTIC } from '../../src/core/augment/elasticParams';
import { randomDisplacementField } from '../../src/core/augment/randomDisplacementField';
import { mulberry32 } from '../../src/core/random/mulberry32';
import type { TrainingSample } from '../../src/core/sampling/trainingSample';

const SIZE_PX = 512;

/** A deterministic 512x512 float image with cell-like blobs, its binary labels and a weight map. */
function makeSample(): TrainingSample {
  const n = SIZE_PX * SIZE_PX;
  const image = new Float32Array(n);
  const labels = new Int32Array(n);
  const weights = new Float32Array(n);
  const random = mulberry32(2015);
  for (let y = 0; y < SIZE_PX; y++) {
    for (let x = 0; x < SIZE_PX; x++) {
      const i = y * SIZE_PX + x;
      const v = 0.5 + 0.25 * Math.sin(x / 9) * Math.cos(y / 13) + 0.1 * random();
      image[i] = v;
      labels[i] = v > 0.5 ? 1 : 0;
      weights[i] = labels[i] === 1 ? 1 : 3;
    }
  }
  return { width: SIZE_PX, height: SIZE_PX, channels: 1, image, labels, weights };
}

let sample: TrainingSample | null = null;
let seed = 0;

export const cases: BenchCase[] = [
  {
    id: 'elastic-warp-512',
    description: 'Elastic deformation of a 512x512 float image + int labels + float weights (3x3 grid, sigma 10 px; field generation, spline prefilter and order-3/0/1 warps, mirror)',
    group: 'augmentation',
    setup() {
      sample = makeSample();
    },
    run() {
      const current = sample ?? (sample = makeSample());
      const { field } = randomDisplacementField(SIZE_PX, SIZE_PX, PAPER_ELASTIC, mulberry32(seed++));
      elasticDeform(current, field);
    },
    peer: { name: 'SciPy', script: 'bench/peers/augment.py', key: 'elastic-warp-512' },
  },
];
