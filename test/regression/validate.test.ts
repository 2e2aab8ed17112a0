import { expect } from 'chai';
import { validateSplits } from '../../src/regression/index.js';
import { createRng } from '../../src/util/random.js';

function noisyRuns(n: number, noise: number, seed: number) {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const zeta = rng.next();
    const kappa = rng.next();
    return { zeta, kappa, gap: 0.9 * zeta - 0.6 * kappa + 0.1 + noise * (rng.next() - 0.5) };
  });
}

describe('regression: validateSplits', () => {
  it('holds out 10% of runs per split and finds no error on exact data', () => {
    const runs = noisyRuns(40, 0, 1);
    const v = validateSplits(runs);
    expect(v.repeats).to.equal(100);
    expect(v.splits).to.have.length(100);
    expect(v.testRuns).to.equal(4);
    for (const s of v.splits) expect(s.nTest).to.equal(4);
    expect(v.ssr.max).to.be.below(1e-20);
    expect(v.pearson!.min).to.be.closeTo(1, 1e-9);
  });

  it('scores each split on its held-out runs, summarised by max, median, mean', () => {
    const runs = noisyRuns(30, 0.2, 2);
    const v = validateSplits(runs, { repeats: 25, testFraction: 0.2, seed: 9 });
    expect(v.testRuns).to.equal(6);
    const ssrs = v.splits.map((s) => s.ssr).sort((a, b) => a - b);
    expect(v.ssr.max).to.equal(ssrs[24]);
    expect(v.ssr.min).to.equal(ssrs[0]);
    expect(v.ssr.median).to.equal(ssrs[12]);
    expect(v.ssr.mean).to.be.closeTo(ssrs.reduce((a, b) => a + b) / 25, 1e-15);
    // Uniform noise of width 0.2 has variance 0.2^2/12; six held-out runs add about 6 of them.
    expect(v.ssr.median).to.be.within(0.005, 0.05);
    for (const s of v.splits) expect(s.rmse).to.be.closeTo(Math.sqrt(s.ssr / 6), 1e-15);
    // Same seed, same splits; another seed, other splits.
    expect(validateSplits(runs, { repeats: 25, testFraction: 0.2, seed: 9 }).ssr).to.deep.equal(v.ssr);
    expect(validateSplits(runs, { repeats: 25, testFraction: 0.2, seed: 10 }).ssr.mean).to.not.equal(v.ssr.mean);
  });

  it('splits by run, never by point, when groups are given', () => {
    // Two points per run; one run's two points are far off the plane shared by the rest. Held out
    // whole, that run always costs a large SSR; were its points split, the fit would absorb them.
    const runs = noisyRuns(20, 0, 3).flatMap((p, i) => [p, { ...p, zeta: p.zeta * 0.9 }].map((q) => ({ ...q, run: `r${i}` })));
    runs.forEach((p) => { p.gap = 0.9 * p.zeta - 0.6 * p.kappa + 0.1; });
    runs[0].gap += 1;
    runs[1].gap += 1;
    const v = validateSplits(runs, { repeats: 50, groups: runs.map((p) => p.run), seed: 4 });
    expect(v.testRuns).to.equal(2);
    for (const s of v.splits) expect(s.nTest).to.equal(4);
    // Held out whole, the outlier run costs both its points (SSR near 2); left in training, it
    // barely moves the plane (SSR near 0). Splitting by point would also hold out one of its two
    // points with the other still in training, which lands between the two.
    const ssrs = v.splits.map((s) => s.ssr);
    expect(ssrs.filter((x) => x > 1.5).length).to.be.above(0);
    expect(ssrs.filter((x) => x < 0.5).length).to.be.above(0);
    expect(ssrs.filter((x) => x >= 0.5 && x <= 1.5)).to.deep.equal([]);
  });

  it('names bad options', () => {
    const runs = noisyRuns(10, 0.1, 5);
    expect(() => validateSplits(runs, { repeats: 0 })).to.throw(/repeats must be a positive integer, got 0/);
    expect(() => validateSplits(runs, { testFraction: 1 })).to.throw(/testFraction must be in \(0, 1\), got 1/);
    expect(() => validateSplits(runs, { groups: ['a'] })).to.throw(/1 groups for 10 points/);
    expect(() => validateSplits(runs.slice(0, 3))).to.throw(/at least 3 runs left to fit after holding out 1, got 3 runs/);
  });
});
