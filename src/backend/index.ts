// PRELIMINARY: the backend helper replaces this with the full implementation (wasm training kernels,
// tfjs-node detection). Kept minimal so the rest of the suite can run meanwhile.
import * as tf from '@tensorflow/tfjs-core';

export type BackendPreference = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

export async function initBackend(preference: BackendPreference = 'auto'): Promise<string> {
  if (preference === 'cpu') {
    await import('@tensorflow/tfjs-backend-cpu');
  } else {
    await import('@tensorflow/tfjs-backend-wasm');
  }
  await tf.setBackend(preference === 'cpu' ? 'cpu' : 'wasm');
  await tf.ready();
  return tf.getBackend();
}
