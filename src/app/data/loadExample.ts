import { UNLABELLED } from '../../core/labels/classMap';
import { interpretLabels } from '../../core/labels/interpretLabels';
import { sliceOf } from '../../core/image/imageStack';
import { makeExampleStack } from '../../core/synthetic/makeExampleStack';
import type { SliceRecord } from './sliceRegistry';

/**
 * The built-in example: an EM-like stack generated in the page (nothing downloaded). The first
 * slices come fully labelled, the last one unlabelled, so a first visit can train, predict on it
 * and compare.
 */
export function exampleSlices(): SliceRecord[] {
  const { image, labels } = makeExampleStack();
  return Array.from({ length: image.slices }, (_, z) => {
    const labelled = z < image.slices - 1;
    const { classes } = interpretLabels(sliceOf(labels, z), { kind: 'binary', foregroundValue: 255 });
    return {
      id: `example-${z}`,
      name: `example slice ${z + 1}`,
      width: image.width,
      height: image.height,
      channels: 1,
      dtype: image.dtype,
      pixels: sliceOf(image, z).slice(),
      classes: labelled ? classes : new Int32Array(classes.length).fill(UNLABELLED),
    };
  });
}
