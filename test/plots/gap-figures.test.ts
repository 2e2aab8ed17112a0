import { expect } from 'chai';
import { predictedGapSpec, renderSvg, sparsityGapSpec, splitSsrSpec, zetaKappaSpec } from '../../src/plots/index.js';

const points = [
  { zeta: 0.45, kappa: 0.49, gap: 0.04 }, { zeta: 0.78, kappa: 0.29, gap: 0.29 },
  { zeta: 0.88, kappa: 0.19, gap: 0.71 }, { zeta: 0.85, kappa: 0.15, gap: 0.74 },
];

/** The aria-labels Vega writes on each mark of a kind ('point', 'bar', 'line mark'). */
function marks(svg: string, kind: string): string[] {
  const re = new RegExp(`aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="${kind}"`, 'g');
  return [...svg.matchAll(re)].map((m) => m[1]);
}

describe('plots: gap figures (paper Fig. 4)', () => {
  it('4A draws one point per network at its (ζ, κ) with its gap', async () => {
    const svg = await renderSvg(zetaKappaSpec(points));
    const labels = marks(svg, 'point');
    expect(labels).to.have.length(4);
    expect(labels[2]).to.match(/ζ \(critical-unit fraction\): 0\.88; κ \(area between E_r and E\): 0\.19; gap: 0\.71/);
    expect(svg).to.contain('ζ and κ of the reference networks');
    expect(svg).to.contain('linearGradient'); // the gap colour scale
  });

  it('4B draws ζ and κ against the gap', async () => {
    const labels = marks(await renderSvg(sparsityGapSpec(points)), 'point');
    expect(labels).to.have.length(8);
    expect(labels.filter((l) => l.includes('measure: ζ'))).to.have.length(4);
    expect(labels).to.include.members([
      'generalization gap (train − test accuracy): 0.29; ζ, κ: 0.78; measure: ζ',
      'generalization gap (train − test accuracy): 0.29; ζ, κ: 0.29; measure: κ',
    ]);
  });

  it('4C draws predictions against observations with the line y = x through the whole range', async () => {
    const svg = await renderSvg(predictedGapSpec([{ gap: 0.1, predicted: 0.2 }, { gap: 0.6, predicted: 0.5, group: 'held out' }]));
    const labels = marks(svg, 'point');
    expect(labels).to.have.length(2);
    expect(labels[1]).to.match(/observed gap: 0\.6; predicted gap \(a·ζ \+ b·κ \+ c\): 0\.5; group: held out/);
    // y = x: both scales share one domain on a 360 x 280 plot, so every point of the segment sits at
    // the same fraction of the width (from the left) as of the height (from the bottom).
    const line = svg.match(/aria-roledescription="line mark" d="M([\d.]+),([\d.]+)L([\d.]+),([\d.]+)"/);
    expect(line, 'y = x segment').to.not.equal(null);
    const [x0, y0, x1, y1] = line!.slice(1).map(Number);
    expect(x0 / 360).to.be.closeTo(1 - y0 / 280, 1e-3);
    expect(x1 / 360).to.be.closeTo(1 - y1 / 280, 1e-3);
    expect(x1 - x0).to.be.above(100);
  });

  it('4D bins every split SSR once', async () => {
    const ssrs = [0.01, 0.011, 0.012, 0.02, 0.03, 0.031, 0.05];
    const bars = marks(await renderSvg(splitSsrSpec(ssrs)), 'bar');
    const total = bars.map((l) => Number(/splits: (\d+)/.exec(l)![1])).reduce((a, b) => a + b, 0);
    expect(total).to.equal(ssrs.length);
  });
});
