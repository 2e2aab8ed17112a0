import { expect } from 'chai';
import { keyQuantities } from '../../src/ablation/index.js';

// Hand-built curves; expected values worked out from METHOD.md by hand.
describe('keyQuantities', () => {
  it('takes the first n at or below chance, the last maximum of E_r before M, and the paper forms', () => {
    const curve = [1, 0.8, 0.5, 0.25, 0];
    const reverseCurve = [1, 1, 0.9, 0.6, 0];
    const q = keyQuantities(curve, reverseCurve, { chance: 0.25 });
    expect(q.n0).to.equal(3); // E(3) = chance counts
    expect(q.n0r).to.equal(1); // E_r(0) = E_r(1) = 1: the larger n
    expect(q.zeta).to.equal((3 + 4 - 1) / 8);
    expect(q.kappa).to.be.closeTo((0 + 0.2 + 0.4 + 0.35 + 0) / 4, 1e-12);
  });

  it('falls back to the first index of the minimum when E never reaches chance', () => {
    const q = keyQuantities([1, 0.9, 0.6, 0.7, 0.6], [1, 1, 1, 1, 1], { chance: 0.5 });
    expect(q.n0).to.equal(2);
  });

  it('ignores n = M for n0r even when E_r is largest there', () => {
    const q = keyQuantities([1, 0, 0, 0, 0], [0.5, 0.6, 0.7, 0.8, 0.9], { chance: 0.1 });
    expect(q.n0r).to.equal(3);
    expect(q.zeta).to.equal((1 + 4 - 3) / 8);
  });

  it('sums absolute differences (E_r below E counts positively), over M not M + 1', () => {
    const q = keyQuantities([1, 1, 0], [1, 0, 0], { chance: 0.5 });
    expect(q.kappa).to.equal(0.5);
    const signedSwapped = keyQuantities([1, 0, 0], [1, 1, 0], { chance: 0.5 });
    expect(signedSwapped.kappa).to.equal(0.5);
  });

  it('divides kappa by E(0) with normalizeKappa, and gives NaN when E(0) = 0', () => {
    const curve = [0.8, 0.4, 0];
    const reverseCurve = [0.8, 0.8, 0];
    expect(keyQuantities(curve, reverseCurve, { chance: 0.5 }).kappa).to.be.closeTo(0.2, 1e-12);
    expect(keyQuantities(curve, reverseCurve, { chance: 0.5, normalizeKappa: true }).kappa).to.be.closeTo(0.25, 1e-12);
    expect(keyQuantities([0, 0, 0], [0, 0.5, 0], { chance: 0.5, normalizeKappa: true }).kappa).to.be.NaN;
  });

  it('gives a small zeta when few units are critical and a large one when many are', () => {
    expect(keyQuantities([1, 0, 0, 0], [1, 1, 1, 0], { chance: 0.1 }).zeta).to.equal((1 + 3 - 2) / 6);
    expect(keyQuantities([1, 1, 1, 0], [1, 0, 0, 0], { chance: 0.1 }).zeta).to.equal((3 + 3 - 0) / 6);
  });

  it('rejects curves of different lengths, too short, or not finite, naming the argument', () => {
    expect(() => keyQuantities([1, 0], [1, 0, 0], { chance: 0.5 })).to.throw(/reverseCurve: length 3/);
    expect(() => keyQuantities([1], [1], { chance: 0.5 })).to.throw(/curve: needs/);
    expect(() => keyQuantities([1, NaN], [1, 0], { chance: 0.5 })).to.throw(/curve: value NaN at n = 1/);
    expect(() => keyQuantities([1, 0], [1, 0], { chance: NaN })).to.throw(/chance: NaN/);
  });
});
