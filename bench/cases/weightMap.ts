import { readFileSync } from 'node:fs';
import type { BenchCase } from '../benchCase';
import { decodeImageFile } from '../../src/core/io/decodeImageFile';
import { interpretLabels } from '../../src/core/labels/interpretLabels';
import { PAPER_WEIGHT_MAP } from '../../src/core/weights/computeWeightMap';
import { buildTrainingTargets } from '../../src/core/weights/buildTrainingTargets';
import { dsbIdWithMostNuclei, requireSharedData } from '../sharedData';

const PEER = 'bench/peers/weights.py';
const targetParams = { ...PAPER_WEIGHT_MAP, separateTouching: false, connectivity: 4 as const };

function loadLabels(relative: string) {
  const stack = decodeImageFile(relative, new Uint8Array(readFileSync(requireSharedData(relative))));
  return { values: stack.data, width: stack.width, height: stack.height };
}

let isbi: ReturnType<typeof loadLabels> | null = null;
let dsb: ReturnType<typeof loadLabels> | null = null;

export const cases: BenchCase[] = [
  {
    id: 'weight-map-isbi-512',
    group: 'preprocessing',
    description: 'weight map (w_c + border term, w0 10, sigma 5) of ISBI label slice 0, 512x512, objects = 4-connected cells',
    setup() { isbi = loadLabels('isbi2012/png/train/label/0.png'); },
    run() {
      const { values, width, height } = isbi!;
      buildTrainingTargets(interpretLabels(values, { kind: 'binary', foregroundValue: 255 }), width, height, targetParams);
    },
    peer: { name: 'SciPy', script: PEER, key: 'weight-map-isbi-512' },
    extraPeers: [{ name: 'SciPy, EDT per object over the full image', script: PEER, key: 'weight-map-isbi-512:full' }],
  },
  {
    id: 'weight-map-dsb-most-nuclei',
    group: 'preprocessing',
    description: 'weight map of the DSB instance map with the most nuclei (696x520, 369 nuclei)',
    setup() { dsb = loadLabels(`nuclei/dsb2018-stage1-subset/labels/${dsbIdWithMostNuclei()}.png`); },
    run() {
      const { values, width, height } = dsb!;
      buildTrainingTargets(interpretLabels(values, { kind: 'instances' }), width, height, targetParams);
    },
    peer: { name: 'SciPy', script: PEER, key: 'weight-map-dsb-most-nuclei' },
    extraPeers: [{ name: 'SciPy, EDT per object over the full image', script: PEER, key: 'weight-map-dsb-most-nuclei:full' }],
  },
];
