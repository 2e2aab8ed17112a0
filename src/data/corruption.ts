// Label corruption as in the paper (after Zhang et al., "Understanding deep learning requires
// rethinking generalization"): the reference networks' range of gaps comes from training on it.
import { createRng } from '../util/random.js';

/**
 * A new label array in which round(fraction * N) samples, chosen at random, get a class drawn
 * uniformly from 0..K-1 (possibly their own, so about fraction * (K-1)/K of labels actually change).
 */
export function corruptLabels(labels: ArrayLike<number>, fraction: number, numClasses: number, seed: number | string = 0): Int32Array {
  if (!(fraction >= 0 && fraction <= 1)) throw new Error(`corruptLabels: fraction must be in [0, 1], got ${fraction}`);
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new Error(`corruptLabels: numClasses must be a positive integer, got ${numClasses}`);
  const out = Int32Array.from(labels);
  const rng = createRng(`corrupt:${seed}`);
  const chosen = rng.sample(Array.from({ length: out.length }, (_, i) => i), Math.round(fraction * out.length));
  for (const i of chosen) out[i] = rng.int(numClasses);
  return out;
}
