import { StudioError } from '../errors';
import type { ImageStack } from '../image/imageStack';

/**
 * A label file must cover its image exactly: same width, height and number of slices, one channel.
 * Throws a 'size-mismatch' error naming both files and what differs.
 */
export function checkLabelStack(image: ImageStack, imageName: string, labels: ImageStack, labelName: string): void {
  const describe = (s: ImageStack) => `${s.width}x${s.height} px, ${s.slices} slice${s.slices === 1 ? '' : 's'}`;
  if (image.width !== labels.width || image.height !== labels.height || image.slices !== labels.slices) {
    throw new StudioError('size-mismatch', `${labelName} (${describe(labels)}) does not match its image ${imageName} (${describe(image)}). Labels must have the image's size and number of slices.`);
  }
  if (labels.channels !== 1) {
    throw new StudioError('invalid-labels', `${labelName} has ${labels.channels} channels; label files must be single-channel (grey) images, with one value per class or object (a grey mask saved as RGB is read; colour-coded labels are not).`);
  }
  if (labels.dtype === 'float32' || labels.dtype === 'float64') {
    for (let i = 0; i < labels.data.length; i++) {
      if (!Number.isInteger(labels.data[i])) {
        throw new StudioError('invalid-labels', `${labelName} holds fractional values (e.g. ${labels.data[i]}); label files need whole numbers.`);
      }
    }
  }
}
