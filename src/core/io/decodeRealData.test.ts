/**
 * Real data from ../shared/data (see its README): the ISBI 2012 TIFF stacks equal
 * their PNG slices exactly, and DSB 2018 16-bit instance-label PNGs hold as many
 * nuclei as images.csv says. When the folder is absent this says so loudly.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sliceOf, type ImageStack } from '../image/imageStack';
import { hasSharedData, SHARED_DATA } from '../../testing/testPeers';
import { decodeImageFile } from './decodeImageFile';

const present = hasSharedData('isbi2012', 'nuclei');
const isbi = path.join(SHARED_DATA, 'isbi2012');
const dsb = path.join(SHARED_DATA, 'nuclei/dsb2018-stage1-subset');

const decode = (file: string): ImageStack => decodeImageFile(path.basename(file), new Uint8Array(readFileSync(file)));

describe('real data', () => {
  if (!present) it('is not checked: ../shared/data is absent', () => {
    console.warn(`../shared/data is absent: real-data checks not run (looked in ${SHARED_DATA})`);
  });

  it.skipIf(!present).each([
    { stack: 'tif/train-volume.tif', pngs: 'png/train/image', slices: 20, check: [0, 7, 19] },
    { stack: 'tif/train-labels.tif', pngs: 'png/train/label', slices: 20, check: [0, 11, 19] },
    { stack: 'tif/test-volume.tif', pngs: 'png/test/image', slices: 30, check: [0, 29] },
  ])('ISBI $stack equals its PNG slices $check', ({ stack: file, pngs, slices, check }) => {
    const stack = decode(path.join(isbi, file));
    expect([stack.width, stack.height, stack.slices, stack.channels, stack.dtype]).toEqual([512, 512, slices, 1, 'uint8']);
    for (const z of check) {
      const png = decode(path.join(isbi, pngs, `${z}.png`));
      expect([png.width, png.height, png.channels, png.dtype]).toEqual([512, 512, 1, 'uint8']);
      expect(Buffer.from(sliceOf(stack, z)).equals(Buffer.from(png.data as Uint8Array)), `slice ${z}`).toBe(true);
    }
  });

  it.skipIf(!present)('ISBI labels are 0 and 255 only', () => {
    const labels = decode(path.join(isbi, 'tif/train-labels.tif'));
    expect(new Set(labels.data)).toEqual(new Set([0, 255]));
  });

  it.skipIf(!present)('all 107 DSB 16-bit label PNGs hold as many nuclei as images.csv says', () => {
    const rows = readFileSync(path.join(dsb, 'images.csv'), 'utf8').trim().split('\n').slice(1).map((line) => {
      const fields = line.split(','); // the style column may hold commas: count from both ends
      return { id: fields[0] as string, width: Number(fields[1]), height: Number(fields[2]), nuclei: Number(fields[fields.length - 2]) };
    });
    expect(rows.length).toBe(107);
    for (const row of rows) {
      const labels = decode(path.join(dsb, 'labels', `${row.id}.png`));
      expect([labels.width, labels.height, labels.channels, labels.dtype]).toEqual([row.width, row.height, 1, 'uint16']);
      let max = 0;
      for (const v of labels.data) max = Math.max(max, v);
      expect(max, row.id).toBe(row.nuclei);
      expect(new Set(labels.data).size - 1, `${row.id} distinct ids`).toBe(row.nuclei);
    }
  });

  it.skipIf(!present)('DSB images decode as RGBA uint8 of the listed size', () => {
    const lines = readFileSync(path.join(dsb, 'images.csv'), 'utf8').trim().split('\n').slice(1);
    for (const line of [lines[0], lines[40], lines[106]]) {
      const [id, width, height] = (line ?? '').split(',');
      const image = decode(path.join(dsb, 'images', `${id}.png`));
      expect([image.width, image.height, image.channels, image.dtype]).toEqual([Number(width), Number(height), 4, 'uint8']);
    }
  });
});
