import { expect } from 'chai';
import { compareMidTraining, type ReferenceRun } from '../../src/regression/index.js';
import { createRng } from '../../src/util/random.js';

// Final points on the plane g = 0.9ζ − 0.6κ + 0.1; each run's mid-training points sit 0.1 below it.
const plane = (zeta: number, kappa: number) => 0.9 * zeta - 0.6 * kappa + 0.1;
function runs(n: number, midPerRun: number): ReferenceRun[] {
  const rng = createRng(11);
  const point = (offset: number) => {
    const zeta = rng.next();
    const kappa = rng.next();
    return { zeta, kappa, gap: plane(zeta, kappa) + offset };
  };
  return Array.from({ length: n }, (_, i) => ({
    id: `run-${i}`, final: point(0), midTraining: Array.from({ length: midPerRun }, () => point(-0.1)),
  }));
}

describe('regression: compareMidTraining', () => {
  it('scores a final-points and a trajectory model on held-out runs\' mid-training points', () => {
    const c = compareMidTraining(runs(30, 3), { repeats: 20, seed: 1 })!;
    expect(c.repeats).to.equal(20);
    expect(c.testRuns).to.equal(3);
    expect(c.splitsScored).to.equal(20);
    expect(c.points).to.equal(20 * 3 * 3);
    // The final-points model is the plane itself, so it misses every mid-training point by exactly 0.1.
    expect(c.finalModel.pooledRmse).to.be.closeTo(0.1, 1e-12);
    expect(c.finalModel.rmse.min).to.be.closeTo(0.1, 1e-12);
    expect(c.finalModel.rmse.max).to.be.closeTo(0.1, 1e-12);
    // Fit on three mid-training points per final one, the trajectory model sits about 0.075 below
    // the plane: about 0.025 from the mid-training points.
    expect(c.trajectoryModel.pooledRmse).to.be.within(0.015, 0.04);
  });

  it('counts only splits whose held-out runs have mid-training points, and needs some', () => {
    const some = runs(10, 0);
    some[0] = { ...some[0], midTraining: runs(1, 2)[0].midTraining };
    const c = compareMidTraining(some, { repeats: 30, seed: 2 })!;
    expect(c.splitsScored).to.be.within(1, 29);
    expect(c.points).to.equal(2 * c.splitsScored);
    expect(compareMidTraining(runs(10, 0), { repeats: 5 })).to.equal(null);
    expect(() => compareMidTraining(runs(3, 1))).to.throw(/at least 3 runs left to fit after holding out 1, got 3 runs/);
  });
});
