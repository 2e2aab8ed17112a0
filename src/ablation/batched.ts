// The general path: the head re-run on the target output with units zeroed, many masks per call
// (`batched`) or one mask per call (`stepwise`, the authors' method). Works for any head.
import * as tf from '@tensorflow/tfjs-core';
import { evaluate, type HeadGraph } from './graph.js';
import { boundaryFeeds, countCorrect, readCounts, sampleChunks, sliceRows, type ClassProbe } from './chunks.js';

/** Row r < M+1 keeps every unit but the first r of R; row M+1+n the same for R_r. */
function maskMatrix(orders: [number[], number[]]): tf.Tensor2D {
  const M = orders[0].length;
  const masks = new Float32Array(2 * (M + 1) * M);
  orders.forEach((order, o) => {
    for (let n = 0; n <= M; n++) {
      const row = (o * (M + 1) + n) * M;
      for (let k = n; k < M; k++) masks[row + order[k]] = 1;
    }
  });
  return tf.tensor2d(masks, [2 * (M + 1), M]);
}

/**
 * E and E_r with masks applied `masksPerCall` at a time (default: as many as `maxBytes` allows;
 * 1 = stepwise).
 */
export async function maskedCurves(
  graph: HeadGraph, probe: ClassProbe, maxBytes: number, masksPerCall?: number,
): Promise<[number[], number[]]> {
  const { target } = probe;
  const [S, ...rest] = target.shape;
  const M = rest[rest.length - 1];
  const rows = 2 * (M + 1);
  const bytesPerRow = 4 * graph.headElements;
  const masks = maskMatrix(probe.orders);
  const perChunk: tf.Tensor1D[][] = [];
  let counts: tf.Tensor1D[];
  try {
    for (const [start, size] of sampleChunks(S, bytesPerRow, maxBytes)) {
      const perCall = masksPerCall ?? Math.max(1, Math.floor(maxBytes / (bytesPerRow * size)));
      const parts: tf.Tensor1D[] = [];
      perChunk.push(parts);
      for (let r = 0; r < rows; r += perCall) {
        const b = Math.min(perCall, rows - r);
        parts.push(tf.tidy(() => {
          const mask = tf.reshape(tf.slice(masks, [r, 0], [b, M]), [b, 1, ...rest.map((_, i) => (i < rest.length - 1 ? 1 : M))]);
          const masked = tf.reshape(tf.mul(tf.expandDims(sliceRows(target, start, size), 0), mask), [b * size, ...rest]);
          const feeds = boundaryFeeds(probe, start, size, b);
          feeds.set(graph.target.id, masked);
          return countCorrect(evaluate([graph.output], feeds)[0], b, probe.classIndex);
        }));
      }
    }
    counts = tf.tidy(() => perChunk.map((parts) => tf.concat(parts)));
  } finally {
    masks.dispose();
    tf.dispose(perChunk.flat());
  }
  const correct = await readCounts(counts);
  const accuracy = (from: number) => Array.from(correct.subarray(from, from + M + 1), (c) => c / S);
  return [accuracy(0), accuracy(M + 1)];
}
