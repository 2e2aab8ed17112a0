import { expect } from 'chai';
import { fitGapModel, predictGap } from '../../src/regression/index.js';

describe('regression: fitGapModel', () => {
  it('recovers the coefficients of noise-free data exactly', () => {
    const truth = { a: 0.8, b: -1.3, c: 0.25 };
    const runs = [[0.2, 0.6], [0.5, 0.4], [0.9, 0.1], [0.4, 0.45], [0.7, 0.3], [0.3, 0.2]]
      .map(([zeta, kappa]) => ({ zeta, kappa, gap: truth.a * zeta + truth.b * kappa + truth.c }));
    const model = fitGapModel(runs);
    expect(model.a).to.be.closeTo(truth.a, 1e-12);
    expect(model.b).to.be.closeTo(truth.b, 1e-12);
    expect(model.c).to.be.closeTo(truth.c, 1e-12);
    expect(model.fit.n).to.equal(6);
    expect(model.fit.ssr).to.be.below(1e-24);
    expect(model.fit.pearson).to.be.closeTo(1, 1e-12);
    expect(model.version).to.equal(1);
    expect(model.provenance).to.deep.equal({ points: 'final', runs: 6 });
  });

  it('matches a least-squares solution computed by hand', () => {
    // kappa = 0 in the first three runs makes b an offset of the fourth: with
    // X = [[0,0,1],[1,0,1],[2,0,1],[1,1,1]] and g = [0, 1, 1, 3], the normal equations give
    // a = 1/2, c = 1/6 (line through the first three), and the fourth run is fit exactly:
    // b = 3 - 1/2 - 1/6 = 7/3. Residuals: 1/6 - 0, 2/3 - 1, 7/6 - 1 → SSR = 1/36 + 4/36 + 1/36 = 1/6.
    const runs = [
      { zeta: 0, kappa: 0, gap: 0 }, { zeta: 1, kappa: 0, gap: 1 }, { zeta: 2, kappa: 0, gap: 1 }, { zeta: 1, kappa: 1, gap: 3 },
    ];
    const model = fitGapModel(runs, { dataset: 'mnist', runs: 2, points: 'trajectory' });
    expect(model.a).to.be.closeTo(0.5, 1e-12);
    expect(model.b).to.be.closeTo(7 / 3, 1e-12);
    expect(model.c).to.be.closeTo(1 / 6, 1e-12);
    expect(model.fit.ssr).to.be.closeTo(1 / 6, 1e-12);
    expect(model.fit.rmse).to.be.closeTo(Math.sqrt(1 / 24), 1e-12);
    // Predictions [1/6, 2/3, 7/6, 3] against [0, 1, 1, 3]: r = cov / (sd * sd) by hand.
    const p = [1 / 6, 2 / 3, 7 / 6, 3];
    const g = [0, 1, 1, 3];
    const mp = p.reduce((s, v) => s + v) / 4;
    const mg = 5 / 4;
    const cov = p.reduce((s, v, i) => s + (v - mp) * (g[i] - mg), 0);
    const r = cov / Math.sqrt(p.reduce((s, v) => s + (v - mp) ** 2, 0) * g.reduce((s, v) => s + (v - mg) ** 2, 0));
    expect(model.fit.pearson).to.be.closeTo(r, 1e-12);
    expect(model.provenance).to.deep.equal({ points: 'trajectory', runs: 2, dataset: 'mnist' });
  });

  it('predicts a*zeta + b*kappa + c from a model or plain coefficients', () => {
    expect(predictGap({ a: 2, b: -1, c: 0.5 }, { zeta: 0.25, kappa: 0.5 })).to.equal(0.5);
    const model = fitGapModel([{ zeta: 0, kappa: 0, gap: 1 }, { zeta: 1, kappa: 0, gap: 3 }, { zeta: 0, kappa: 1, gap: 0 }]);
    expect(predictGap(model, { zeta: 1, kappa: 1 })).to.be.closeTo(2, 1e-12);
    expect(() => predictGap(model, { zeta: Number.NaN, kappa: 0 })).to.throw(/zeta and kappa must be finite, got zeta NaN/);
  });

  it('refuses fewer than 3 runs, singular inputs, constant gaps and non-finite values', () => {
    const two = [{ zeta: 0, kappa: 0, gap: 0 }, { zeta: 1, kappa: 1, gap: 1 }];
    expect(() => fitGapModel(two)).to.throw(/at least 3 runs, got 2/);
    const collinear = [0, 0.2, 0.5, 0.9].map((z) => ({ zeta: z, kappa: 1 - 2 * z, gap: z }));
    expect(() => fitGapModel(collinear)).to.throw(/singular.*4 runs/);
    const constantKappa = [0, 0.2, 0.5].map((z) => ({ zeta: z, kappa: 0.3, gap: z }));
    expect(() => fitGapModel(constantKappa)).to.throw(/singular/);
    const sameGap = [[0, 0], [1, 0], [0, 1]].map(([zeta, kappa]) => ({ zeta, kappa, gap: 0.2 }));
    expect(() => fitGapModel(sameGap)).to.throw(/same gap \(0.2\)/);
    expect(() => fitGapModel([...two, { zeta: 0.5, kappa: Number.NaN, gap: 0 }])).to.throw(/run 2: kappa must be a finite number, got NaN/);
  });
});
