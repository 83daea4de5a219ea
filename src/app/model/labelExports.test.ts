/**
 * Label exports read back as the same labels: a stack's class maps (with unlabelled pixels) and an
 * instance map go out as TIFF, come back through the studio's own decoder, pairing and first guess
 * at the interpretation, and equal what was exported; the PNG zip holds one class map per slice.
 */
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodeImageFile } from '../../core/io/decodeImageFile';
import { UNLABELLED } from '../../core/labels/classMap';
import { guessInterpretation, interpretLabels } from '../../core/labels/interpretLabels';
import { pairFiles } from '../../core/labels/pairFiles';
import { sliceOf } from '../../core/image/imageStack';
import type { LabelledSlice } from './labelExports';
import { buildLabelPngZip, buildLabelTiffs } from './labelExports';

const W = 6;
const H = 4;
const classesOf = (f: (i: number) => number) => Int32Array.from({ length: W * H }, (_, i) => f(i));

describe('label exports', () => {
  const stack: LabelledSlice[] = [
    { name: 'train-volume.tif 1/2', width: W, height: H, classes: classesOf((i) => (i % 3 === 0 ? UNLABELLED : i % 3 === 1 ? 0 : 2)), instances: null },
    { name: 'train-volume.tif 2/2', width: W, height: H, classes: classesOf(() => UNLABELLED), instances: null },
    { name: 'cells.png', width: 3, height: 2, classes: Int32Array.from([0, 1, 1, 0, 1, 0]), instances: Int32Array.from([0, 4, 4, 0, 9, 0]) },
  ];

  it('writes a TIFF per source image that pairs with it and reads back as the same classes (255 unlabelled), and the instance ids', () => {
    const files = buildLabelTiffs(stack);
    expect(files.map((f) => f.name)).toEqual(['train-volume_labels.tif', 'cells_labels.tif', 'cells_instances.tif']);
    expect(pairFiles(['train-volume.tif', 'cells.png', 'train-volume_labels.tif', 'cells_labels.tif']).pairs).toEqual([
      { image: 'train-volume.tif', label: 'train-volume_labels.tif' },
      { image: 'cells.png', label: 'cells_labels.tif' },
    ]);
    const volume = decodeImageFile('train-volume_labels.tif', files[0]!.bytes);
    expect(volume).toMatchObject({ width: W, height: H, slices: 2, dtype: 'uint8' });
    const reading = guessInterpretation(volume.data);
    expect(reading).toEqual({ kind: 'classes', numClasses: 3, unlabelledValue: 255 });
    for (let z = 0; z < 2; z++) expect(Array.from(interpretLabels(sliceOf(volume, z), reading).classes)).toEqual(Array.from(stack[z]!.classes));
    const ids = decodeImageFile('cells_instances.tif', files[2]!.bytes);
    expect(ids.dtype).toBe('uint16');
    expect(Array.from(interpretLabels(ids.data, { kind: 'instances' }).instances!)).toEqual([0, 4, 4, 0, 9, 0]);
  });

  it('zips one 8-bit class map per slice as PNG, and instance maps as 16-bit PNG', () => {
    const zip = unzipSync(buildLabelPngZip(stack));
    expect(Object.keys(zip)).toEqual(['train-volume.tif_1_2_labels.png', 'train-volume.tif_2_2_labels.png', 'cells_labels.png', 'cells_instances.png']);
    const first = decodeImageFile('x.png', zip['train-volume.tif_1_2_labels.png']!);
    expect(Array.from(first.data.slice(0, 6))).toEqual([255, 0, 2, 255, 0, 2]);
    expect(decodeImageFile('y.png', zip['cells_instances.png']!).dtype).toBe('uint16');
  });

  it('refuses class numbers an 8-bit map cannot hold, naming the slice', () => {
    expect(() => buildLabelTiffs([{ name: 'big.png', width: 1, height: 1, classes: Int32Array.from([300]), instances: null }])).toThrow(/big\.png has class 300: an 8-bit label export holds classes 0-254/);
  });
});
