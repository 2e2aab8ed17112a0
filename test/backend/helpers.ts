// Shared by the backend tests. runKernelOn switches the backend and does not switch back: callers
// restore the suite's backend in an `after` hook.
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import { TENSORFLOW_PACKAGES } from '../../src/backend/index.js';

export interface Operand {
  values: Float32Array;
  shape: number[];
}

export interface KernelRun {
  values: Float32Array;
  shape: number[];
  /** Engine tensors and backend data ids left behind by the call (both should be 0). */
  leakedTensors: number;
  leakedDataIds: number;
}

export async function runKernelOn(
  backend: string, kernel: string, inputs: Record<string, Operand>, attrs: Record<string, unknown>,
): Promise<KernelRun> {
  await tf.setBackend(backend);
  const tensors = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, tf.tensor(v.values, v.shape)]));
  const tensorsBefore = tf.memory().numTensors;
  const idsBefore = tf.engine().backend.numDataIds();
  const out = tf.engine().runKernel(kernel, tensors, attrs as tf.NamedAttrMap) as tf.Tensor;
  const values = out.dataSync() as Float32Array;
  const shape = out.shape;
  out.dispose();
  const run = {
    values, shape,
    leakedTensors: tf.memory().numTensors - tensorsBefore,
    leakedDataIds: tf.engine().backend.numDataIds() - idsBefore,
  };
  tf.dispose(Object.values(tensors));
  return run;
}

/** max |a - b| / max |reference|: the error relative to the reference's scale. */
export function relativeError(actual: ArrayLike<number>, reference: ArrayLike<number>): number {
  if (actual.length !== reference.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < reference.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - reference[i]!));
    scale = Math.max(scale, Math.abs(reference[i]!));
  }
  return scale === 0 ? diff : diff / scale;
}

/** Whether tfjs-node(-gpu) resolves from here (checked without importing it). */
export function tensorflowInstalled(): boolean {
  const require = createRequire(import.meta.url);
  return TENSORFLOW_PACKAGES.some((pkg) => {
    try {
      return Boolean(require.resolve(pkg));
    } catch {
      return false;
    }
  });
}
