import * as tf from '@tensorflow/tfjs-core';

/**
 * Class index of every sample from one-hot (or soft) labels `[N, K]` (argmax) or integer labels
 * `[N]` / `[N, 1]`. With `numClasses`, one-hot widths must equal it and integer labels must lie in
 * `[0, numClasses)`.
 */
export async function labelsToClassIndices(y: tf.Tensor, numClasses?: number): Promise<Int32Array> {
  const integerLabels = y.rank === 1 || (y.rank === 2 && y.shape[1] === 1 && numClasses !== 1);
  if (!integerLabels && y.rank !== 2) {
    throw new Error(`y: shape [${y.shape}] is neither one-hot [N, K] nor integer labels [N]`);
  }
  if (!integerLabels) {
    if (numClasses !== undefined && y.shape[1] !== numClasses) {
      throw new Error(`y: one-hot width ${y.shape[1]} does not match the model's ${numClasses} classes`);
    }
    const classes = tf.argMax(y, 1);
    try {
      return new Int32Array(await classes.data());
    } finally {
      classes.dispose();
    }
  }
  const values = await y.data();
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0 || (numClasses !== undefined && v >= numClasses)) {
      const range = numClasses === undefined ? 'a non-negative integer' : `an integer in [0, ${numClasses})`;
      throw new Error(`y: label ${v} of sample ${i} is not ${range}`);
    }
    out[i] = v;
  }
  return out;
}
