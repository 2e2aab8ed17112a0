/** One histogram bucket as TensorBoard's histogram plugin stores it: [left edge, right edge, count]. */
export type Bucket = [left: number, right: number, count: number];

/**
 * Equal-width buckets spanning [min, max], the last one closed, as TF2's `tf.summary.histogram`
 * makes them. A single distinct value gets the range [v − 0.5, v + 0.5] so the buckets have width.
 */
export function histogramBuckets(values: ArrayLike<number>, bins: number): Bucket[] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    min = Math.min(min, values[i]);
    max = Math.max(max, values[i]);
  }
  // Beyond 2^52, ±0.5 is below float64 resolution; widen to about one unit in the last place.
  const half = Math.max(0.5, Math.abs(min) * Number.EPSILON);
  const [lo, hi] = min === max ? [min - half, max + half] : [min, max];
  const span = hi - lo;
  if (!Number.isFinite(span)) {
    throw new RangeError(`values span [${min}, ${max}], wider than a float64 can hold`);
  }
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const index = Math.floor(((values[i] - lo) / span) * bins);
    counts[Math.min(index, bins - 1)]++;
  }
  // Edges from the fraction, not by accumulating a width, so the last right edge is exactly hi.
  const edge = (k: number) => (k === bins ? hi : lo + (span * k) / bins);
  return counts.map((count, k): Bucket => [edge(k), edge(k + 1), count]);
}
