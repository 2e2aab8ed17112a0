// Pieces shared by the curve strategies: sample chunking under the memory bound, repeating the trunk
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

/**
 * How a head batch stacks `groups` variants (masks, sums) of `S` samples: 'group-major' row g * S + s,
 * 'sample-major' row s * groups + g.
 */
export type RowLayout = 'group-major' | 'sample-major';

/** Each sample's row repeated for the `groups` variants of a head batch. */
function repeatRows(t: tf.Tensor, groups: number, layout: RowLayout): tf.Tensor {
  if (groups === 1) return t;
  const ones = t.shape.slice(1).map(() => 1);
  if (layout === 'group-major') return tf.tile(t, [groups, ...ones]);
  return tf.reshape(tf.tile(tf.expandDims(t, 1), [1, groups, ...ones]), [-1, ...t.shape.slice(1)]);
}

/** Correct predictions per group: `logits` [groups * S, K] → int32 [groups]. */
export function countCorrect(logits: tf.Tensor, groups: number, classIndex: number, layout: RowLayout = 'group-major'): tf.Tensor1D {
  const hits = tf.cast(tf.equal(tf.argMax(logits, -1), classIndex), 'int32');
  return (layout === 'group-major' ? tf.sum(tf.reshape(hits, [groups, -1]), 1) : tf.sum(tf.reshape(hits, [-1, groups]), 0)) as tf.Tensor1D;
}

/** The trunk values a head call on `groups` stacked copies of samples [start, start + size) needs. */
export function boundaryFeeds(
  probe: ClassProbe, start: number, size: number, groups: number, layout: RowLayout = 'group-major',
): Map<number, tf.Tensor> {
  const feeds = new Map<number, tf.Tensor>();
  for (const [id, value] of probe.boundaries) feeds.set(id, repeatRows(sliceRows(value, start, size), groups, layout));
  return feeds;
}

/** Sums per-chunk count tensors and reads them once (then disposes them). */
export async function readCounts(counts: tf.Tensor1D[]): Promise<Float32Array | Int32Array> {
  const total = tf.tidy(() => (counts.length === 1 ? counts[0].clone() : tf.addN(counts)));
  try {
    return (await total.data()) as Int32Array;
  } finally {
    total.dispose();
    tf.dispose(counts);
  }
}
