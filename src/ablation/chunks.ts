// Pieces shared by the curve strategies: sample chunking under the memory bound, tiling the trunk
// tensors a head call needs, and counting correct predictions without a read-back per call.
import * as tf from '@tensorflow/tfjs-core';

/** One class's trunk output: the target activations and the other tensors the head takes. */
export interface ClassProbe {
  classIndex: number;
  /** [S, ...spatial, M] */
  target: tf.Tensor;
  /** Symbolic tensor id → value [S, ...] for each head input computed before the target. */
  boundaries: Map<number, tf.Tensor>;
  /** R (descending score) and R_r (its reverse). */
  orders: [number[], number[]];
}

/** [start, size] sample ranges so that `bytesPerSample * size` stays under `maxBytes` (at least one sample). */
export function sampleChunks(samples: number, bytesPerSample: number, maxBytes: number): [number, number][] {
  const size = Math.max(1, Math.min(samples, Math.floor(maxBytes / bytesPerSample)));
  const out: [number, number][] = [];
  for (let start = 0; start < samples; start += size) out.push([start, Math.min(size, samples - start)]);
  return out;
}

/** Rows [start, start + size) of a tensor. */
export const sliceRows = (t: tf.Tensor, start: number, size: number): tf.Tensor =>
  start === 0 && size === t.shape[0] ? t : tf.slice(t, start, size);

/** `t` repeated `times` times along axis 0: row r * S + s is sample s, matching masked batches. */
export const tileRows = (t: tf.Tensor, times: number): tf.Tensor =>
  times === 1 ? t : tf.tile(t, [times, ...t.shape.slice(1).map(() => 1)]);

/** Correct predictions per group: `logits` [groups * S, K] → int32 [groups]. */
export function countCorrect(logits: tf.Tensor, groups: number, classIndex: number): tf.Tensor1D {
  const hits = tf.cast(tf.equal(tf.argMax(logits, -1), classIndex), 'int32');
  return tf.sum(tf.reshape(hits, [groups, -1]), 1) as tf.Tensor1D;
}

/** The trunk values a head call on `groups` stacked copies of samples [start, start + size) needs. */
export function boundaryFeeds(probe: ClassProbe, start: number, size: number, groups: number): Map<number, tf.Tensor> {
  const feeds = new Map<number, tf.Tensor>();
  for (const [id, value] of probe.boundaries) feeds.set(id, tileRows(sliceRows(value, start, size), groups));
  return feeds;
}

/** Sums per-chunk count tensors (each [2(M+1)]) and reads them once: E then E_r as accuracies. */
export async function readCurves(counts: tf.Tensor1D[], units: number, samples: number): Promise<[number[], number[]]> {
  const total = tf.tidy(() => (counts.length === 1 ? counts[0].clone() : tf.addN(counts)));
  try {
    const values = await total.data();
    const curve = Array.from(values.subarray(0, units + 1), (c) => c / samples);
    const reverseCurve = Array.from(values.subarray(units + 1), (c) => c / samples);
    return [curve, reverseCurve];
  } finally {
    total.dispose();
    tf.dispose(counts);
  }
}
