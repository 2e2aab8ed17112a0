import { expect } from 'chai';
import { histogramBuckets } from '../../src/tensorboard/histogram-buckets.js';

describe('tensorboard/histogram-buckets', () => {
  it('splits [min, max] into equal buckets, the last one closed', () => {
    expect(histogramBuckets([0, 1, 2, 3, 4], 4)).to.deep.equal([
      [0, 1, 1], [1, 2, 1], [2, 3, 1], [3, 4, 2],
    ]);
  });

  it('counts values on an inner edge in the bucket to its right', () => {
    expect(histogramBuckets([-1, 0, 0, 1], 2)).to.deep.equal([[-1, 0, 1], [0, 1, 3]]);
  });

  it('gives a single distinct value a unit-wide range with the value inside it', () => {
    expect(histogramBuckets([2, 2, 2], 2)).to.deep.equal([[1.5, 2, 0], [2, 2.5, 3]]);
    const [[left], , [, right, count]] = histogramBuckets([1e17], 3);
    expect(left).to.be.below(1e17);
    expect(right).to.be.above(1e17);
    expect(count).to.equal(0);
  });

  it('covers min and max exactly and counts every value, for awkward float spans', () => {
    const values = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i * 0.37) * 0.1 + 1e-3);
    const buckets = histogramBuckets(values, 7);
    const min = Math.min(...values);
    const max = Math.max(...values);
    expect(buckets[0][0]).to.equal(min);
    expect(buckets[6][1]).to.equal(max);
    expect(buckets.reduce((sum, [, , c]) => sum + c, 0)).to.equal(1000);
    // each value is counted in the bucket whose edges hold it
    for (const [left, right, count] of buckets) {
      const inside = values.filter((v) => v >= left && (v < right || (right === max && v === max))).length;
      expect(count).to.equal(inside);
    }
  });

  it('refuses a span wider than float64', () => {
    expect(() => histogramBuckets([-1.7e308, 1.7e308], 3)).to.throw(RangeError, 'wider than a float64');
  });
});
