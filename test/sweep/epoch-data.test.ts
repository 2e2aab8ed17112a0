import { expect } from 'chai';
import { epochImages, MAX_SHIFT } from '../../src/sweep/epoch-data.js';
import type { Rng } from '../../src/util/random.js';

/** An Rng whose int() returns the given values in turn (the shift draws: dy then dx per image). */
function scripted(values: number[]): Rng {
  let i = 0;
  return { int: () => values[i++], next: () => 0, shuffle: (a) => a.slice(), sample: (a) => a.slice() };
}
const draw = (shift: number) => shift + MAX_SHIFT;

describe('sweep epoch images', () => {
  // Two 3x3 single-channel images: 1..9 and 11..19.
  const pixels = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19]);

  it('reorders images without augmentation', () => {
    expect(Array.from(epochImages(pixels, [3, 3, 1], [1, 0, 1]))).to.deep.equal(
      [11, 12, 13, 14, 15, 16, 17, 18, 19, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  });

  it('shifts each image by its own draw and fills the vacated pixels with zeros', () => {
    // image 0 moved down 1 and right 1; image 1 moved up 1 and left 2.
    const out = epochImages(pixels, [3, 3, 1], [0, 1], scripted([draw(1), draw(1), draw(-1), draw(-2)]));
    expect(Array.from(out.subarray(0, 9))).to.deep.equal([0, 0, 0, 0, 1, 2, 0, 4, 5]);
    expect(Array.from(out.subarray(9))).to.deep.equal([16, 0, 0, 19, 0, 0, 0, 0, 0]);
  });

  it('moves every channel of a pixel together', () => {
    const rgb = Float32Array.from({ length: 2 * 2 * 3 }, (_, i) => i + 1);
    const out = epochImages(rgb, [2, 2, 3], [0], scripted([draw(0), draw(1)]));
    expect(Array.from(out)).to.deep.equal([0, 0, 0, 1, 2, 3, 0, 0, 0, 7, 8, 9]);
  });
});
