import { expect } from 'chai';
import { ablationCurvesSpec, renderAblationCurvesPng, renderSvg } from '../../src/plots/index.js';
import { darkPixels, readPng } from './png-reader.js';

// M = 4 units. Class 3: E falls to chance at n0 = 2; E_r peaks last at n0r = 2 (ties toward larger n).
const classes = [
  { classIndex: 3, curve: [1, 0.6, 0.05, 0, 0], reverseCurve: [1, 1, 1, 0.4, 0], n0: 2, n0r: 2 },
  { classIndex: 7, curve: [0.9, 0.1, 0, 0, 0], reverseCurve: [0.9, 0.95, 0.5, 0.2, 0], n0: 1, n0r: 1 },
];

describe('plots: ablation curves (Fig. 1 / 3A)', () => {
  it('marks the turning points on the curves and shades the area between E and E_r per class', async () => {
    const svg = await renderSvg(ablationCurvesSpec(classes, { chance: 0.1 }));
    const turns = [...svg.matchAll(/aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="point"/g)].map((m) => m[1]);
    expect(turns).to.have.length(4);
    expect(turns.join('\n')).to.contain('units removed n: 2; class accuracy: 0.05')  // n0 of class 3 on E
      .and.contain('units removed n: 2; class accuracy: 1') // n0r of class 3 on E_r
      .and.contain('units removed n: 1; class accuracy: 0.95'); // n0r of class 7
    expect(svg.match(/aria-roledescription="area mark"/g)).to.have.length(2);
    expect(svg.match(/aria-roledescription="line mark"/g)).to.have.length(4);
    expect(svg).to.contain('>class 3<').and.contain('>class 7<');
  });

  it('renders the monitor\'s PNG with its size and readable text', async () => {
    const { png, width, height } = await renderAblationCurvesPng(classes, { chance: 0.1, scale: 1 });
    const img = readPng(png);
    expect([img.width, img.height]).to.deep.equal([width, height]);
    expect(width).to.be.within(300, 800);
    // The title sits in the top-left corner: dark glyph pixels there mean a font was found.
    expect(darkPixels(img, 0, 0, 200, 20)).to.be.above(50);
  });

  it('names a class whose curves do not match', () => {
    const bad = [{ ...classes[0], reverseCurve: [1, 1] }];
    expect(() => ablationCurvesSpec(bad)).to.throw(/class 3: curve and reverseCurve need the same length M\+1 >= 2, got 5 and 2/);
    expect(() => ablationCurvesSpec([])).to.throw(/no classes/);
  });
});
