import type { ImageStack } from '../image/imageStack';
import { pixelArrayFor } from '../image/imageStack';

/**
 * Many tools save a grey mask as RGB or RGBA with equal colour channels (and an opaque alpha).
 * Such a label file is read as its first channel; a real colour image (channels differ, or a
 * varying alpha) is returned unchanged, for checkLabelStack to refuse with its message.
 */
export function greyLabels(labels: ImageStack): ImageStack {
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
