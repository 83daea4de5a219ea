import type { ModelFiles } from '../../core/model/modelFiles';
import type { SliceRecord } from '../data/sliceRegistry';

// Test data shared by the persistence tests (not used by the app).

/** Three slices of different pixel types, values that would not survive a lossy or retyped copy. */
export function sampleSlices(): SliceRecord[] {
  const u8 = Uint8Array.from({ length: 4 * 3 }, (_, i) => (i * 37) % 256);
  const u16 = Uint16Array.from({ length: 5 * 2 * 3 }, (_, i) => 65535 - i * 997);
  const f32 = Float32Array.from({ length: 2 * 2 }, (_, i) => Math.PI * (i - 1.5) * 1e-3);
  return [
    { id: 'a', name: 'cells-01.tif', width: 4, height: 3, channels: 1, dtype: 'uint8', pixels: u8, classes: Int32Array.from({ length: 12 }, (_, i) => (i % 3) - 1), instances: Int32Array.from({ length: 12 }, (_, i) => i % 4) },
    { id: 'b', name: 'rgb.png', width: 5, height: 2, channels: 3, dtype: 'uint16', pixels: u16, classes: new Int32Array(10).fill(-1), instances: null },
    { id: 'c', name: 'float.tif', width: 2, height: 2, channels: 1, dtype: 'float32', pixels: f32, classes: Int32Array.of(0, 1, 2, -1) },
  ];
}

export function sampleModel(): ModelFiles {
  const weights = new Uint8Array(4099);
  for (let i = 0; i < weights.length; i++) weights[i] = (i * 131 + 7) % 256;
  return { modelJson: '{"format":"layers-model","modelTopology":{}}', weightsFileName: 'model.weights.bin', weights: weights.buffer, metadataJson: '{"format":"unet-studio/1"}' };
}
