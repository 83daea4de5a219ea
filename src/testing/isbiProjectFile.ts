/**
 * A small project file for tests of the headless command and the page opening its results: ISBI
 * 2012 training slices 0-2 from ../shared/data cropped to `size` px, 0 and 1 labelled (255 = cell,
 * class 1), 2 not; the tiny preset at 64 px tiles. Written by the core's own project writer.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodePng } from '../core/io/decodePng';
import { interpretLabels } from '../core/labels/interpretLabels';
import type { ProjectSliceData } from '../core/project/projectSliceFiles';
import { writeProjectFile } from '../core/project/writeProjectFile';
import { SHARED_DATA } from './testPeers';

export function isbiCrops(size: number): ProjectSliceData[] {
  const crop = (data: Uint8Array, width: number) => {
    const out = new Uint8Array(size * size);
    for (let y = 0; y < size; y++) out.set(data.subarray(y * width, y * width + size), y * size);
    return out;
  };
  const dir = path.join(SHARED_DATA, 'isbi2012/png/train');
  return [0, 1, 2].map((i) => {
    const image = decodePng(readFileSync(path.join(dir, 'image', `${i}.png`)), `${i}.png`);
    const label = decodePng(readFileSync(path.join(dir, 'label', `${i}.png`)), `${i}.png`);
    const classes = i < 2 ? interpretLabels(crop(label.data as Uint8Array, label.width), { kind: 'binary', foregroundValue: 255 }, 'label').classes : new Int32Array(size * size).fill(-1);
    return { id: `isbi-${i}`, name: `slice ${i}.png`, width: size, height: size, channels: 1, dtype: 'uint8', pixels: crop(image.data as Uint8Array, image.width), classes, instances: null };
  });
}

export async function projectFileOf(slices: readonly ProjectSliceData[]): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  await writeProjectFile({
    createdAt: '2026-11-30T00:00:00.000Z', classNames: ['membrane', 'cell'], currentSliceId: slices[0]?.id ?? null, slices, predictionOf: () => null, model: null,
    settings: { trainingChoices: { preset: 'tiny', steps: 50, learningRate: 5e-3, tileSizePx: 64, batchSize: 2, augment: true, freshWeights: false, validationSliceIds: [] }, classColours: [null, '#00ff88'] },
    training: { losses: [], validation: [], bestStep: null },
  }, (chunk) => parts.push(chunk));
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) { bytes.set(part, at); at += part.length; }
  return bytes;
}
