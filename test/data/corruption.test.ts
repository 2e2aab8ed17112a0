import { expect } from 'chai';
import { corruptLabels } from '../../src/data/index.js';

const N = 10_000;
const labels = Int32Array.from({ length: N }, (_, i) => i % 10);
const changed = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).filter((v, i) => v !== b[i]).length;

describe('data: corruptLabels', () => {
  it('re-draws exactly round(fraction * N) labels', () => {
    // Out-of-range input labels show which samples were chosen: every re-drawn one becomes a class.
    const marked = new Int32Array(N).fill(-1);
    for (const f of [0, 0.25, 0.4, 1]) {
      const out = corruptLabels(marked, f, 10, 7);
      expect(out.filter((v) => v >= 0 && v < 10).length, `fraction ${f}`).to.equal(Math.round(f * N));
    }
  });

  it('draws the new class uniformly, own class included', () => {
    const out = corruptLabels(labels, 1, 10, 1);
    // Each class is kept with probability 1/10: about 90% change (binomial sd 0.3%).
    expect(changed(out, labels) / N).to.be.within(0.88, 0.92);
    const perClass = Array.from({ length: 10 }, (_, k) => out.filter((v) => v === k).length);
    for (const n of perClass) expect(n).to.be.within(880, 1120);
    expect(changed(corruptLabels(labels, 0.4, 10, 1), labels) / N).to.be.within(0.34, 0.38);
  });

  it('is reproducible by seed and leaves its input alone', () => {
    const copy = labels.slice();
    const a = corruptLabels(labels, 0.5, 10, 'x');
    expect(Array.from(corruptLabels(labels, 0.5, 10, 'x'))).to.deep.equal(Array.from(a));
    expect(changed(corruptLabels(labels, 0.5, 10, 'y'), a)).to.be.above(1000);
    expect(Array.from(labels)).to.deep.equal(Array.from(copy));
    const none = corruptLabels(labels, 0, 10, 1);
    expect(none).to.not.equal(labels);
    expect(changed(none, labels)).to.equal(0);
  });

  it('rejects a bad fraction or class count by name', () => {
    expect(() => corruptLabels(labels, 1.5, 10, 0)).to.throw(/fraction must be in \[0, 1\], got 1.5/);
    expect(() => corruptLabels(labels, Number.NaN, 10, 0)).to.throw(/fraction.*NaN/);
    expect(() => corruptLabels(labels, 0.1, 0, 0)).to.throw(/numClasses.*got 0/);
  });
});
