// One epoch's training images in a seeded order, optionally shifted: built on flat pixels in plain
// JS so that shuffling and augmentation follow the run's seed on every backend (tfjs' own `fit`
// shuffle uses Math.random).
import type { Rng } from '../util/random.js';

/** Largest shift, in pixels, along each axis when augmenting. */
export const MAX_SHIFT = 2;

/**
 * The images at `order` (flat, image after image, each `[h, w, c]` row-major); with `rng`, each
 * image moved by a random whole-pixel shift in -MAX_SHIFT..MAX_SHIFT per axis, vacated pixels zero.
 */
export function epochImages(
  pixels: Float32Array, shape: readonly [number, number, number], order: readonly number[], rng?: Rng,
): Float32Array {
  const [h, w, c] = shape;
  const size = h * w * c;
  const out = new Float32Array(order.length * size);
  order.forEach((src, i) => {
    const image = pixels.subarray(src * size, (src + 1) * size);
    const target = out.subarray(i * size, (i + 1) * size);
    if (!rng) {
      target.set(image);
      return;
    }
    const dy = rng.int(2 * MAX_SHIFT + 1) - MAX_SHIFT;
    const dx = rng.int(2 * MAX_SHIFT + 1) - MAX_SHIFT;
    const x0 = Math.max(0, dx);
    const x1 = Math.min(w, w + dx);
    for (let y = Math.max(0, dy); y < Math.min(h, h + dy); y++) {
      const from = ((y - dy) * w + (x0 - dx)) * c;
      target.set(image.subarray(from, from + (x1 - x0) * c), (y * w + x0) * c);
    }
  });
  return out;
}
