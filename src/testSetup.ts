import * as tf from '@tensorflow/tfjs';
import { beforeAll } from 'vitest';

// Node unit tests run on tfjs's cpu backend: slow but complete, and the
// reference the GPU backends are compared with.
beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});
