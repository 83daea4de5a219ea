import type { ImageStack } from './imageStack';
import { pixelArrayFor } from './imageStack';

/**
 * Many tools save a grey image or mask as RGB or RGBA with equal colour channels (and an opaque
 * alpha): the DSB 2018 fluorescence PNGs, masks from image editors. Such a stack is read as its
 * first channel, so a grey model fits it and a grey starter model predicts it; a real colour image
 * (channels differ, or a varying alpha) is returned unchanged (and a label file of it is refused by
 * checkLabelStack with its message).
 */
export function greyIfChannelsEqual(labels: ImageStack): ImageStack {
  const { channels } = labels;
  if (channels !== 3 && channels !== 4) return labels;
  const { data } = labels;
  const pixels = data.length / channels;
  const alpha = channels === 4 ? data[3] : undefined;
  for (let i = 0; i < pixels; i++) {
    const o = i * channels;
    if (data[o + 1] !== data[o] || data[o + 2] !== data[o]) return labels;
    if (alpha !== undefined && data[o + 3] !== alpha) return labels;
  }
  const grey = pixelArrayFor(labels.dtype, pixels);
  for (let i = 0; i < pixels; i++) grey[i] = data[i * channels] as number;
  return { ...labels, channels: 1, data: grey };
}
