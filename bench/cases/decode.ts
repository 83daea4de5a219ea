import { readFileSync } from 'node:fs';
import type { BenchCase } from '../benchCase';
import { decodeImageFile } from '../../src/core/io/decodeImageFile';
import { requireSharedData } from '../sharedData';

const PEER = 'bench/peers/decode.py';
const ISBI_STACK = 'isbi2012/tif/train-volume.tif';

let isbiBytes: Uint8Array | null = null;

export const cases: BenchCase[] = [
  {
    id: 'decode-isbi-stack',
    group: 'image io',
    description: 'decode the ISBI training stack (20-page uncompressed TIFF, 512x512 uint8) from bytes in memory',
    setup() { isbiBytes = new Uint8Array(readFileSync(requireSharedData(ISBI_STACK))); },
    run() {
      const stack = decodeImageFile('train-volume.tif', isbiBytes!);
      if (stack.slices !== 20) throw new Error(`expected 20 slices, got ${stack.slices}`);
    },
    peer: { name: 'tifffile', script: PEER, key: 'decode-isbi-stack' },
    extraPeers: [{ name: 'tifffile.imread(path), file read included', script: PEER, key: 'decode-isbi-stack:path' }],
  },
];
