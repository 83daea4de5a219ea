/**
 * The data import, from bytes to slice records: real ISBI 2012 stacks and a DSB 2018 instance map
 * from ../shared/data (when present), and small generated files for every way a file can fail.
 * The last block drives createImportActions against a real store and SliceRegistry with Blobs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeImageFile } from '../../core/io/decodeImageFile';
import { encodePng } from '../../core/io/encodePng';
import { encodeTiff } from '../../core/io/encodeTiff';
import { sliceOf, type ImageStack, type PixelArray, type PixelDType } from '../../core/image/imageStack';
import { UNLABELLED } from '../../core/labels/classMap';
import { createStudioStore } from '../../store/createStudioStore';
import { showSlices } from './createDataActions';
import { createImportActions, type DroppedFile } from './createImportActions';
import { importFiles, type ImportInput } from './importFiles';
import { exampleSlices } from './loadExample';
import { hasSharedData, SHARED_DATA } from '../../testing/testPeers';
import { SliceRegistry } from './sliceRegistry';

const isbi = path.join(SHARED_DATA, 'isbi2012/tif');
const dsb = path.join(SHARED_DATA, 'nuclei/dsb2018-stage1-subset');
const present = hasSharedData('isbi2012/tif', 'nuclei/dsb2018-stage1-subset');

/** A message without the Unicode isolation marks around file names (tested on their own below). */
const plain = (message: string | undefined) => (message ?? '').replace(/[\u2068\u2069]/g, '');
const plainProblems = (problems: readonly { path: string; message: string }[]) => problems.map((p) => ({ path: p.path, message: plain(p.message) }));

function stack(width: number, height: number, values: ArrayLike<number>, { slices = 1, channels = 1, dtype = 'uint8' as PixelDType } = {}): ImageStack {
  const data: PixelArray = dtype === 'uint16' ? Uint16Array.from(values) : dtype === 'float32' ? Float32Array.from(values) : Uint8Array.from(values);
  expect(data.length).toBe(width * height * slices * channels);
  return { width, height, slices, channels, dtype, data };
}
const ramp = (n: number, scale = 7) => Array.from({ length: n }, (_, i) => (i * scale) % 256);
const png = (s: ImageStack) => encodePng(s);
const file = (p: string, bytes: Uint8Array): ImportInput => ({ path: p, bytes });
const image8x6 = () => png(stack(8, 6, ramp(48)));
const mask8x6 = () => png(stack(8, 6, Array.from({ length: 48 }, (_, i) => (i % 3 === 0 ? 255 : 0))));
const countOf = (values: ArrayLike<number>, v: number) => Array.prototype.filter.call(values, (x: number) => x === v).length;

describe('importFiles on real data', () => {
  if (!present) it('is not checked: ../shared/data is absent', () => {
    console.warn(`skipped: ../shared/data absent (looked in ${SHARED_DATA}); real-data import checks not run`);
  });

  it.skipIf(!present)('ISBI train-volume.tif + train-labels.tif: 20 slices 512x512, all labelled, membrane 0, cell 1', async () => {
    const volumeBytes = new Uint8Array(readFileSync(path.join(isbi, 'train-volume.tif')));
    const labelBytes = new Uint8Array(readFileSync(path.join(isbi, 'train-labels.tif')));
    const result = await importFiles([file('train-labels.tif', labelBytes), file('train-volume.tif', volumeBytes)]);

    // Independent of the import: the decoded files themselves.
    const volume = decodeImageFile('train-volume.tif', volumeBytes);
    const labels = decodeImageFile('train-labels.tif', labelBytes);
    expect(volume.slices).toBe(20); // the README's 20 training slices (20-29 are held out)

    expect(result.problems).toEqual([]);
    expect(result.summary).toBe('20 slices from 1 image stack, 20 labelled');
    expect(result.classNames).toEqual(['background', 'foreground']);
    expect(result.records.map((r) => [r.width, r.height, r.channels, r.dtype])).toEqual(Array(20).fill([512, 512, 1, 'uint8']));
    expect(result.records.map((r) => r.id)).toEqual(Array.from({ length: 20 }, (_, z) => `train-volume.tif#${z}`));
    expect(result.records[2]!.name).toBe('train-volume.tif 3/20');
    for (const [z, record] of result.records.entries()) {
      expect(new Set(record.classes), `slice ${z} classes`).toEqual(new Set([0, 1]));
      expect(record.instances ?? null).toBeNull();
    }
    for (const z of [0, 13, 19]) {
      const labelSlice = sliceOf(labels, z);
      const record = result.records[z]!;
      expect(countOf(record.classes, 1), `slice ${z} cells`).toBe(countOf(labelSlice, 255));
      expect(countOf(record.classes, 0), `slice ${z} membranes`).toBe(countOf(labelSlice, 0));
      expect(Buffer.from(record.pixels as Uint8Array).equals(Buffer.from(sliceOf(volume, z) as Uint8Array)), `slice ${z} pixels`).toBe(true);
    }
    // Pixel for pixel on slice 0: class 1 exactly where the label file is white.
    const slice0 = sliceOf(labels, 0);
    expect(result.records[0]!.classes.every((k, i) => k === (slice0[i] === 255 ? 1 : 0))).toBe(true);
    expect(countOf(slice0, 255)).toBeGreaterThan(100_000); // about 78% white, as the README says
  });

  it.skipIf(!present)('a DSB 2018 16-bit instance map keeps its instance ids, one per nucleus', async () => {
    const [header, row] = readFileSync(path.join(dsb, 'images.csv'), 'utf8').trim().split('\n');
    expect(header).toMatch(/^id,width,height,/);
    const fields = row!.split(',');
    const [id, width, height, nuclei] = [fields[0]!, Number(fields[1]), Number(fields[2]), Number(fields[fields.length - 2])];
    const read = (folder: string) => new Uint8Array(readFileSync(path.join(dsb, folder, `${id}.png`)));
    const result = await importFiles([file(`dsb/images/${id}.png`, read('images')), file(`dsb/labels/${id}.png`, read('labels'))]);

    expect(result.problems).toEqual([]);
    expect(result.summary).toBe('1 slice from 1 image, 1 labelled');
    const record = result.records[0]!;
    expect([record.width, record.height, record.name]).toEqual([width, height, `${id}.png`]);
    const labelValues = decodeImageFile('label', read('labels')).data;
    expect(Array.from(record.instances!)).toEqual(Array.from(labelValues));
    expect(new Set(record.instances).size - 1).toBe(nuclei);
    expect(record.classes.every((k, i) => k === (labelValues[i]! > 0 ? 1 : 0))).toBe(true);
    expect(result.classNames).toEqual(['background', 'foreground']);
    // The first listed image is stained tissue (a colour image): it keeps its channels.
    expect(record.channels).toBe(4);
  });

  it.skipIf(!present)('a DSB 2018 fluorescence image, saved as RGBA with equal channels, reads as one grey channel', async () => {
    const rows = readFileSync(path.join(dsb, 'images.csv'), 'utf8').trim().split('\n').slice(1);
    const id = rows.find((r) => r.includes('fluorescence'))!.split(',')[0]!;
    const bytes = new Uint8Array(readFileSync(path.join(dsb, 'images', `${id}.png`)));
    const rgba = decodeImageFile('image', bytes);
    expect(rgba.channels).toBe(4);
    const result = await importFiles([file(`dsb/images/${id}.png`, bytes)]);
    const record = result.records[0]!;
    expect(record.channels).toBe(1);
    expect(Array.from(record.pixels.subarray(0, 50))).toEqual(Array.from({ length: 50 }, (_, i) => rgba.data[i * 4]));
  });
});

describe('importFiles on generated files', () => {
  it('loads an image without labels with every pixel unlabelled, for painting', async () => {
    const result = await importFiles([file('cells.png', image8x6())]);
    expect(result.problems).toEqual([]);
    expect(result.summary).toBe('1 slice from 1 image, 0 labelled');
    const [record] = result.records;
    expect([record!.id, record!.name, record!.width, record!.height]).toEqual(['cells.png#0', 'cells.png', 8, 6]);
    expect(Array.from(record!.pixels)).toEqual(ramp(48));
    expect(record!.classes.length).toBe(48);
    expect(record!.classes.every((k) => k === UNLABELLED)).toBe(true);
  });

  it('reads a 0/1 mask as binary, and a 0..2 mask as three classes with a name each', async () => {
    const binary = Array.from({ length: 48 }, (_, i) => i % 2);
    const three = Array.from({ length: 48 }, (_, i) => i % 3);
    const result = await importFiles([file('a.png', image8x6()), file('a_mask.png', png(stack(8, 6, binary)))]);
    expect(Array.from(result.records[0]!.classes)).toEqual(binary);
    expect(result.classNames).toEqual(['background', 'foreground']);

    const multi = await importFiles([file('b.png', image8x6()), file('b_mask.png', png(stack(8, 6, three)))]);
    expect(Array.from(multi.records[0]!.classes)).toEqual(three);
    expect(multi.classNames).toEqual(['background', 'class 1', 'class 2']);
  });

  it('keeps instance ids of an instance map and makes every object class 1', async () => {
    const ids = Array.from({ length: 48 }, (_, i) => [0, 5, 9, 1000][i % 4]!);
    const result = await importFiles([file('images/n.png', image8x6()), file('labels/n.png', png(stack(8, 6, ids, { dtype: 'uint16' })))]);
    expect(result.problems).toEqual([]);
    expect(Array.from(result.records[0]!.instances!)).toEqual(ids);
    expect(Array.from(result.records[0]!.classes)).toEqual(ids.map((v) => (v > 0 ? 1 : 0)));
  });

  it('loads a TIFF stack with its TIFF labels slice by slice', async () => {
    const values = Array.from({ length: 3 * 48 }, (_, i) => (i < 48 ? 0 : i < 96 ? (i % 2) * 255 : 255));
    const result = await importFiles([
      file('vol.tif', encodeTiff(stack(8, 6, ramp(3 * 48, 3), { slices: 3 }))),
      file('vol_labels.tif', encodeTiff(stack(8, 6, values, { slices: 3 }))),
    ]);
    expect(result.summary).toBe('3 slices from 1 image stack, 3 labelled');
    expect(result.records.map((r) => r.name)).toEqual(['vol.tif 1/3', 'vol.tif 2/3', 'vol.tif 3/3']);
    expect(result.records.map((r) => countOf(r.classes, 1))).toEqual([0, 24, 48]);
    expect(Array.from(result.records[1]!.pixels)).toEqual(ramp(3 * 48, 3).slice(48, 96));
  });

  it('loads the image of a label file of the wrong size without labels, and names the label file', async () => {
    const result = await importFiles([file('x.png', image8x6()), file('x_mask.png', png(stack(4, 4, Array(16).fill(255))))]);
    expect(result.records.length).toBe(1);
    expect(result.records[0]!.classes.every((k) => k === UNLABELLED)).toBe(true);
    expect(result.problems.map((p) => p.path)).toEqual(['x_mask.png']);
    expect(plain(result.problems[0]!.message)).toBe(
      'x_mask.png (4x4 px, 1 slice) does not match its image x.png (8x6 px, 1 slice). Labels must have the image\'s size and number of slices.'
      + ' x.png was loaded without labels: fix the label file and drop both again, or paint the labels in the studio.');
    expect(result.summary).toBe('1 slice from 1 image, 0 labelled; 1 file not used');
  });

  it('reads a grey mask saved as RGB as grey labels', async () => {
    // Left half 255 (cells), right half 0, the same in R, G and B.
    const grey = Array.from({ length: 48 }, (_, i) => (i % 8 < 4 ? 255 : 0));
    const rgb = png(stack(8, 6, grey.flatMap((v) => [v, v, v]), { channels: 3 }));
    const result = await importFiles([file('g.png', image8x6()), file('g_mask.png', rgb)]);
    expect(result.problems).toEqual([]);
    const classes = result.records[0]!.classes;
    expect(Array.from(classes)).toEqual(grey.map((v) => (v === 255 ? 1 : 0)));
  });

  it('refuses colour and fractional label files, naming them, and still loads their images', async () => {
    const rgb = png(stack(8, 6, Array.from({ length: 144 }, (_, i) => (i % 3 === 0 ? 255 : 0)), { channels: 3 })); // pure red: real colour
    const fractional = encodeTiff(stack(8, 6, Array.from({ length: 48 }, (_, i) => i / 4), { dtype: 'float32' }));
    const result = await importFiles([file('r.png', image8x6()), file('r_mask.png', rgb), file('f.png', image8x6()), file('f_mask.tif', fractional)]);
    expect(result.records.map((r) => r.id)).toEqual(['f.png#0', 'r.png#0']);
    expect(result.problems.map((p) => p.path)).toEqual(['f_mask.tif', 'r_mask.png']);
    expect(plain(result.problems[0]!.message)).toMatch(/^f_mask\.tif holds fractional values \(e\.g\. 0\.25\).* f\.png was loaded without labels/);
    expect(plain(result.problems[1]!.message)).toMatch(/^r_mask\.png has 3 channels; label files must be single-channel.* r\.png was loaded without labels/);
    expect(result.summary).toBe('2 slices from 2 images, 0 labelled; 2 files not used');
  });

  it('names a corrupt image and a corrupt label file, loading what it can', async () => {
    const truncated = image8x6().slice(0, 60);
    const result = await importFiles([file('good.png', image8x6()), file('good_mask.png', truncated), file('broken.tif', Uint8Array.from([0x49, 0x49, 42, 0, 8, 0, 0, 0, 99]))]);
    expect(result.records.map((r) => r.id)).toEqual(['good.png#0']);
    expect(result.problems.map((p) => p.path)).toEqual(['broken.tif', 'good_mask.png']);
    expect(plain(result.problems[0]!.message)).toMatch(/^broken\.tif /);
    expect(plain(result.problems[1]!.message)).toMatch(/^good_mask\.png .*good\.png was loaded without labels/);
    for (const p of result.problems) expect(p.message).not.toMatch(/undefined|\[object/);
  });

  it('lists the label file of an unreadable image as not used, after the image', async () => {
    const result = await importFiles([file('a.png', new Uint8Array(0)), file('a_mask.png', mask8x6()), file('b.png', image8x6())]);
    expect(plainProblems(result.problems)).toEqual([
      { path: 'a.png', message: 'a.png is empty (0 bytes). It may not have been copied or saved completely.' },
      { path: 'a_mask.png', message: 'a_mask.png was not used: its image a.png could not be read (see above).' },
    ]);
  });

  it('isolates every file name in its messages and shows its direction controls, so a right-to-left override cannot reorder or disguise anything', async () => {
    const evil = 'invoice\u202Egnp.tif'; // shows as "invoicefit.png" where its override is obeyed
    const result = await importFiles([file(evil, new Uint8Array(0)), file('cells.png', image8x6()), file('cells_mask.png', new Uint8Array(0))]);
    expect(result.problems.map((p) => p.message)).toEqual([
      '\u2068cells_mask.png\u2069 is empty (0 bytes). It may not have been copied or saved completely. \u2068cells.png\u2069 was loaded without labels: fix the label file and drop both again, or paint the labels in the studio.',
      '\u2068invoice[U+202E]gnp.tif\u2069 is empty (0 bytes). It may not have been copied or saved completely.', // the disguise shown, not obeyed
    ]);
  });

  it('lists a stray label file and a non-image file with reasons, and skips system files silently', async () => {
    const result = await importFiles([
      file('a.png', image8x6()), file('stray_mask.png', mask8x6()), file('notes.txt', new TextEncoder().encode('hi')),
      file('data/.DS_Store', new Uint8Array(4)), file('Thumbs.db', new Uint8Array(4)),
    ]);
    expect(plainProblems(result.problems)).toEqual([
      { path: 'stray_mask.png', message: 'stray_mask.png was not used as labels: no image with a matching name (looked for stray.tif/.png/.jpg).'
        + ' Drop it together with its image, named to match (x.png with x_mask.png, or images/x.png with labels/x.png).' },
      { path: 'notes.txt', message: 'notes.txt was not used: not a supported image (tif, tiff, png, jpg, jpeg). Drop TIFF, PNG or JPEG images and label files; other files are skipped.' },
    ]);
    expect(result.summary).toBe('1 slice from 1 image, 0 labelled; 2 files not used');
    expect(result.problems.map((p) => p.skipped ?? false)).toEqual([false, true]); // a stray label is a problem; a note is only skipped
  });

  it('fails with nothing usable, listing every file, and says so for an empty drop', async () => {
    const result = await importFiles([file('notes.txt', new Uint8Array([1])), file('scan.png', Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10, 0, 0]))]);
    expect(result.records).toEqual([]);
    expect(result.summary).toBe('Nothing could be loaded: none of the 2 files is an image the studio could use. The list below says why for each.');
    expect(result.problems.map((p) => p.path)).toEqual(['scan.png', 'notes.txt']);
    expect(plain(result.problems[0]!.message)).toMatch(/^scan\.png looks truncated or damaged/);

    const empty = await importFiles([file('.DS_Store', new Uint8Array(1))]);
    expect([empty.records.length, empty.problems.length, empty.summary]).toEqual([0, 0, 'Nothing could be loaded: no files arrived (an empty folder?). Drop TIFF, PNG or JPEG images.']);
  });

  it('reads lazily, once per file, pausing before each, and names a file that cannot be read', async () => {
    const reads: string[] = [];
    let pauses = 0;
    const lazy = (p: string, bytes: Uint8Array): ImportInput => ({ path: p, bytes: async () => { reads.push(p); return bytes; } });
    const gone: ImportInput = { path: 'gone.png', bytes: () => Promise.reject(new Error('A requested file or directory could not be found.')) };
    const result = await importFiles([lazy('a.png', image8x6()), lazy('a_mask.png', mask8x6()), gone], { betweenFiles: async () => { pauses++; } });
    expect(reads).toEqual(['a.png', 'a_mask.png']);
    expect(pauses).toBe(3);
    expect(plainProblems(result.problems)).toEqual([{ path: 'gone.png', message: 'gone.png could not be read (A requested file or directory could not be found). It may have been moved or deleted since it was chosen; drop it again.' }]);
    expect(result.summary).toBe('1 slice from 1 image, 1 labelled; 1 file not used');
  });

  it('orders files by path with numbers in numeric order, and names same-named files by path', async () => {
    const result = await importFiles(['b/10.png', 'b/2.png', 'a/2.png'].map((p) => file(p, image8x6())));
    expect(result.records.map((r) => [r.id, r.name])).toEqual([['a/2.png#0', 'a/2.png'], ['b/2.png#0', 'b/2.png'], ['b/10.png#0', '10.png']]);
  });
});

describe('createImportActions with a real store and registry', () => {
  const blob = (bytes: Uint8Array) => new Blob([bytes as Uint8Array<ArrayBuffer>]);
  const dropped = (p: string, bytes: Uint8Array): DroppedFile => ({ path: p, file: blob(bytes) });
  function setUp(answer = true) {
    const store = createStudioStore();
    const registry = new SliceRegistry();
    const questions: string[] = [];
    const actions = createImportActions(store, registry, (question) => { questions.push(question); return answer; });
    return { store, registry, actions, questions };
  }

  it('re-reading a label file never shrinks the class list below a class painted elsewhere', async () => {
    const { store, registry, actions } = setUp(true);
    const values = Array.from({ length: 48 }, (_, i) => [0, 1, 2][i % 3]!);
    await actions.importFiles([dropped('images/a.png', image8x6()), dropped('labels/a.png', png(stack(8, 6, values))), dropped('images/b.png', image8x6())]);
    expect(store.getState().data.classNames).toHaveLength(3);
    registry.get('images/b.png#0')!.classes[0] = 2; // class 2 painted on the unlabelled image
    registry.labelsChanged('images/b.png#0', [{ x: 0, y: 0, width: 1, height: 1 }]);
    await actions.readLabelsAs('labels/a.png', 'binary');
    expect(store.getState().data.import.labelFiles[0]?.kind).toBe('binary');
    expect(store.getState().data.classNames).toEqual(['background', 'class 1', 'class 2']);
  });

  it('reads Blobs, shows the slices and sets the summary, problems and class names', async () => {
    const { store, registry, actions } = setUp();
    const three = Array.from({ length: 48 }, (_, i) => i % 3);
    const pending = actions.importFiles([
      dropped('images/a.png', image8x6()), dropped('labels/a.png', png(stack(8, 6, three))), dropped('images/b.png', image8x6()), dropped('notes.txt', new Uint8Array(3)),
    ]);
    expect(store.getState().data.import).toEqual({ status: 'reading', summary: null, problems: [], labelFiles: [], pairing: { images: [], labels: [], byHand: [] } });
    await pending;

    const { data } = store.getState();
    expect(data.import.status).toBe('done');
    expect(data.import.summary).toBe('2 slices from 2 images, 1 labelled; 1 file not used');
    expect(data.import.problems.map((p) => p.path)).toEqual(['notes.txt']);
    expect(data.classNames).toEqual(['background', 'class 1', 'class 2']);
    expect(data.slices.map((s) => [s.id, s.name, s.labelled])).toEqual([['images/a.png#0', 'a.png', true], ['images/b.png#0', 'b.png', false]]);
    expect(data.currentSliceId).toBe('images/a.png#0');
    expect(registry.ids()).toEqual(['images/a.png#0', 'images/b.png#0']);
    expect(Array.from(registry.get('images/a.png#0')!.classes)).toEqual(three);
    expect(data.import.labelFiles).toEqual([{ path: 'labels/a.png', image: 'images/a.png', kind: 'classes', kinds: ['binary', 'classes', 'instances'], description: '3 classes: values 0-2' }]);
    expect(store.getState().errors).toEqual([]);
  });

  it('says how a label file of values 0, 1, 2, 9 was read, reads it another way on request, and asks before replacing painted labels', async () => {
    const { store, registry, actions, questions } = setUp(false);
    const values = Array.from({ length: 48 }, (_, i) => [0, 1, 2, 9][i % 4]!);
    await actions.importFiles([dropped('images/a.png', image8x6()), dropped('labels/a.png', png(stack(8, 6, values)))]);
    const id = 'images/a.png#0';
    expect(store.getState().data.import.labelFiles[0]).toMatchObject({ kind: 'classes', description: '4 classes: values 0, 1, 2, 9 are classes 0-3' });
    expect(store.getState().data.classNames).toHaveLength(4);
    expect(Array.from(registry.get(id)!.classes)).toEqual(values.map((v) => [0, 1, 2, 9].indexOf(v)));

    await actions.readLabelsAs('labels/a.png', 'instances');
    expect(questions).toEqual([]); // nothing painted: nothing to lose
    expect(store.getState().data.import.labelFiles[0]).toMatchObject({ kind: 'instances', description: 'instance map: 0 is background, 3 objects (each its own value)' });
    expect(Array.from(registry.get(id)!.classes)).toEqual(values.map((v) => (v > 0 ? 1 : 0)));
    expect(Array.from(registry.get(id)!.instances ?? [])).toEqual(values);
    expect(store.getState().data.classNames).toHaveLength(2);

    // A stroke since: reading the file again would replace it, so the studio asks; "no" keeps the stroke.
    registry.get(id)!.classes[0] = 1;
    registry.labelsChanged(id, [{ x: 0, y: 0, width: 1, height: 1 }]);
    await actions.readLabelsAs('labels/a.png', 'binary');
    expect(questions).toEqual(['Reading \u2068labels/a.png\u2069 again (binary mask: every value but 0 is foreground) replaces the labels painted on its slice since it was loaded. Read it again?']);
    expect(store.getState().data.import.labelFiles[0]?.kind).toBe('instances');
    expect(registry.get(id)!.classes[0]).toBe(1);
  });

  it('pairs a file by hand: the same files read again with it as labels, or as an image again; asks first when painted labels would go', async () => {
    const { store, registry, actions, questions } = setUp(false);
    const mask = Array.from({ length: 48 }, (_, i) => (i % 2 ? 255 : 0));
    await actions.importFiles([dropped('nuclei.png', image8x6()), dropped('cells.png', png(stack(8, 6, mask)))]);
    expect(store.getState().data.import.summary).toBe('2 slices from 2 images, 0 labelled');
    expect(store.getState().data.import.pairing).toEqual({ images: ['cells.png', 'nuclei.png'], labels: [], byHand: [] });

    await actions.pairByHand('cells.png', 'nuclei.png');
    const { data } = store.getState();
    expect(questions).toEqual([]); // nothing painted: nothing to lose
    expect(data.import.summary).toBe('1 slice from 1 image, 1 labelled');
    expect(data.import.labelFiles).toMatchObject([{ path: 'cells.png', image: 'nuclei.png', kind: 'binary' }]);
    expect(data.import.pairing).toEqual({ images: ['nuclei.png'], labels: ['cells.png'], byHand: [['cells.png', 'nuclei.png']] });
    expect(Array.from(registry.get('nuclei.png#0')!.classes)).toEqual(mask.map((v) => (v ? 1 : 0)));

    // A stroke since: undoing the pairing would replace it, so the studio asks; "no" keeps everything.
    registry.get('nuclei.png#0')!.classes[0] = 1;
    registry.labelsChanged('nuclei.png#0', [{ x: 0, y: 0, width: 1, height: 1 }]);
    await actions.pairByHand('cells.png', null);
    expect(questions).toEqual(['Reading the files again with \u2068cells.png\u2069 as an image of its own replaces the slices on screen and the labels painted on them since they were loaded. Pair them?']);
    expect(store.getState().data.import.summary).toBe('1 slice from 1 image, 1 labelled');
    expect(registry.get('nuclei.png#0')!.classes[0]).toBe(1);
  });

  it('a drop after a pairing by hand starts without it', async () => {
    const { store, actions } = setUp();
    const files = [dropped('nuclei.png', image8x6()), dropped('cells.png', png(stack(8, 6, Array.from({ length: 48 }, () => 0))))];
    await actions.importFiles(files);
    await actions.pairByHand('cells.png', 'nuclei.png');
    await actions.importFiles(files);
    expect(store.getState().data.import.summary).toBe('2 slices from 2 images, 0 labelled');
    expect(store.getState().data.import.pairing.byHand).toEqual([]);
  });

  it('with nothing usable: status failed, problems listed, previous slices and class names left alone', async () => {
    const { store, registry, actions } = setUp();
    showSlices(store, registry, exampleSlices());
    const before = store.getState().data;
    await actions.importFiles([dropped('notes.txt', new Uint8Array(3)), dropped('bad.tif', Uint8Array.from([0x4d, 0x4d, 0, 42, 0, 0, 0, 8]))]);

    const { data } = store.getState();
    expect(data.import.status).toBe('failed');
    expect(data.import.summary).toMatch(/^Nothing could be loaded: none of the 2 files/);
    expect(data.import.problems.map((p) => p.path)).toEqual(['bad.tif', 'notes.txt']);
    expect(data.slices).toBe(before.slices);
    expect(data.classNames).toBe(before.classNames);
    expect(data.labelsRevision).toBe(before.labelsRevision);
    expect(registry.ids()).toEqual(exampleSlices().map((r) => r.id));
  });

  it('lets the latest of two overlapping imports win', async () => {
    const { store, registry, actions } = setUp();
    const first = actions.importFiles(['a', 'b', 'c', 'd'].map((n) => dropped(`first-${n}.png`, image8x6()))); // slower: four files
    const second = actions.importFiles([dropped('second.png', image8x6())]);
    await Promise.all([first, second]);
    expect(registry.ids()).toEqual(['second.png#0']);
    expect(store.getState().data.slices.map((s) => s.id)).toEqual(['second.png#0']);
    expect(store.getState().data.import.status).toBe('done');
  });
});
