import { describe, expect, it } from 'vitest';
import { isolate } from '../text/isolate';
import { pairFiles } from './pairFiles';

describe('pairFiles', () => {
  it('pairs ISBI stacks: train-labels.tif with train-volume.tif; test-volume.tif stays unlabelled', () => {
    const result = pairFiles(['tif/train-volume.tif', 'tif/train-labels.tif', 'tif/test-volume.tif']);
    expect(result.pairs).toEqual([
      { image: 'tif/train-volume.tif', label: 'tif/train-labels.tif' },
      { image: 'tif/test-volume.tif', label: null },
    ]);
    expect(result.unpairedLabels).toEqual([]);
  });

  it('pairs x.png with x_mask.png, x_label.png or X-Labels.TIF', () => {
    const result = pairFiles(['a.png', 'a_mask.png', 'b.png', 'b_label.png', 'c.tif', 'C-Labels.TIF']);
    expect(result.pairs).toEqual([
      { image: 'a.png', label: 'a_mask.png' },
      { image: 'b.png', label: 'b_label.png' },
      { image: 'c.tif', label: 'C-Labels.TIF' },
    ]);
  });

  it('pairs images/x.png with labels/x.png or masks/x.png, at any depth, and ISBI png/train/image|label', () => {
    const result = pairFiles([
      'exp1/images/x.png', 'exp1/labels/x.png', 'exp2/images/x.png', 'exp2/masks/x.png',
      'png/train/image/0.png', 'png/train/label/0.png', 'png/test/image/0.png',
    ]);
    expect(result.pairs).toEqual([
      { image: 'exp1/images/x.png', label: 'exp1/labels/x.png' },
      { image: 'exp2/images/x.png', label: 'exp2/masks/x.png' },
      { image: 'png/train/image/0.png', label: 'png/train/label/0.png' },
      { image: 'png/test/image/0.png', label: null },
    ]);
  });

  it('reports labels without an image and files that are not images, with reasons', () => {
    const result = pairFiles(['a.png', 'b_mask.png', 'notes.txt', 'labels/z.png']);
    expect(result.pairs).toEqual([{ image: 'a.png', label: null }]);
    expect(result.unpairedLabels.map((u) => u.path)).toEqual(['b_mask.png', 'labels/z.png']);
    expect(result.unpairedLabels[0]!.reason).toMatch(/no image with a matching name \(looked for b\.tif/);
    expect(result.unpairedLabels[1]!.reason).toMatch(/looked for images\/z\./);
    expect(result.ignored).toEqual([{ path: 'notes.txt', reason: 'not a supported image (tif, tiff, png, jpg, jpeg)' }]);
  });

  it('refuses to guess when two images match one label file', () => {
    const result = pairFiles(['x.png', 'x.tif', 'x_mask.png']);
    expect(result.pairs.every((p) => p.label === null)).toBe(true);
    expect(result.unpairedLabels[0]!.reason).toMatch(/several images match it \(\u2068x\.png\u2069, \u2068x\.tif\u2069\)/);
  });

  it('pairs on the label word anywhere in the name (a word of its own): the names users drop', () => {
    const result = pairFiles([
      'train-volume-0-9.tif', 'train-labels-0-9.tif',
      'img2d.tif', 'mask2d.tif',
      'seg_cells01.png', 'cells01.png',
      'Fluo GT 3.png', 'Fluo 3.png',
      'stack-volume.tif', 'stack-volume_labels.tif',
    ]);
    expect(result.pairs).toEqual([
      { image: 'train-volume-0-9.tif', label: 'train-labels-0-9.tif' },
      { image: 'img2d.tif', label: 'mask2d.tif' },
      { image: 'cells01.png', label: 'seg_cells01.png' },
      { image: 'Fluo 3.png', label: 'Fluo GT 3.png' },
      { image: 'stack-volume.tif', label: 'stack-volume_labels.tif' },
    ]);
    expect(result.unpairedLabels).toEqual([]);
  });

  it('does not take a label word inside another word, nor a name that is only a label word', () => {
    const result = pairFiles(['segment_7.png', 'unmasked.png', 'gtx.png', 'mask.png']);
    expect(result.pairs.map((p) => p.image)).toEqual(['segment_7.png', 'unmasked.png', 'gtx.png', 'mask.png']);
    expect(result.pairs.every((p) => p.label === null)).toBe(true);
  });

  it('pairs by hand before names: a file as labels of an image, a label-named file as an image of its own', () => {
    const byHand = new Map<string, string | null>([['cells.png', 'nuclei.png'], ['seg_results.png', null]]);
    const result = pairFiles(['nuclei.png', 'cells.png', 'seg_results.png', 'results.png'], byHand);
    expect(result.pairs).toEqual([
      { image: 'nuclei.png', label: 'cells.png' },
      { image: 'seg_results.png', label: null },
      { image: 'results.png', label: null },
    ]);
    expect(result.unpairedLabels).toEqual([]);
  });

  it('a pairing by hand takes the image from the label file its name would pair, and says so', () => {
    const result = pairFiles(['a.png', 'a_mask.png', 'other.png'], new Map([['other.png', 'a.png']]));
    expect(result.pairs).toEqual([{ image: 'a.png', label: 'other.png' }]);
    expect(result.unpairedLabels).toEqual([{ path: 'a_mask.png', reason: `${isolate('a.png')} already has labels (${isolate('other.png')}, paired by hand)` }]);
  });

  it('refuses a pairing by hand with an image that is not among the images, or one already taken by hand', () => {
    const result = pairFiles(['a.png', 'x.png', 'y.png', 'z.png'], new Map([['x.png', 'gone.png'], ['y.png', 'a.png'], ['z.png', 'a.png']]));
    expect(result.pairs).toEqual([{ image: 'a.png', label: 'y.png' }]);
    expect(result.unpairedLabels).toEqual([
      { path: 'x.png', reason: `the image it was paired with by hand (${isolate('gone.png')}) is not among the images` },
      { path: 'z.png', reason: `${isolate('a.png')} already has labels paired by hand (${isolate('y.png')})` },
    ]);
  });
});
