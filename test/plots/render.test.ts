import { expect } from 'chai';
import { FONT_FAMILY, svgToPng } from '../../src/plots/index.js';
import { darkPixels, readPng } from './png-reader.js';

const svg = (body: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">`
  + `<rect width="200" height="100" fill="white"/>${body}</svg>`;

describe('plots: SVG to PNG', () => {
  it('rasterises at the requested scale', () => {
    const { png, width, height } = svgToPng(svg('<rect x="10" y="20" width="30" height="40" fill="#ff0000"/>'), { scale: 2 });
    const img = readPng(png);
    expect([img.width, img.height]).to.deep.equal([400, 200]);
    expect([width, height]).to.deep.equal([400, 200]);
    expect(img.at(50, 100).slice(0, 3)).to.deep.equal([255, 0, 0]);
    expect(img.at(10, 10).slice(0, 3)).to.deep.equal([255, 255, 255]);
    expect(img.at(81, 100).slice(0, 3)).to.deep.equal([255, 255, 255]);
  });

  it('finds a font: text in the plots\' font family is drawn', () => {
    const text = `<text x="10" y="60" font-family="${FONT_FAMILY}" font-size="40" fill="black">ζ κ gap</text>`;
    const img = readPng(svgToPng(svg(text), { scale: 1 }).png);
    // Glyphs of 40 px text cover hundreds of pixels; without a font resvg draws nothing.
    expect(darkPixels(img, 0, 0, 200, 100)).to.be.above(300);
    expect(darkPixels(readPng(svgToPng(svg(''), { scale: 1 }).png), 0, 0, 200, 100)).to.equal(0);
  });

  it('names a bad scale', () => {
    expect(() => svgToPng(svg(''), { scale: 0 })).to.throw(/scale must be a positive number, got 0/);
  });
});
