import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { expect } from 'chai';
import { CurvesRenderer } from '../../src/callbacks/curves-renderer.js';

const M = 8;
/** Class j loses its accuracy after j + 2 units: distinct curves per class. */
const classes = (count: number) => Array.from({ length: count }, (_, j) => ({
  classIndex: j,
  curve: Array.from({ length: M + 1 }, (_, n) => (n < j + 2 ? 1 : 0)),
  reverseCurve: Array.from({ length: M + 1 }, (_, n) => (n < M ? 1 : 0)),
  n0: j + 2,
  n0r: M - 1,
}));
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const childOf = (renderer: CurvesRenderer) => (renderer as unknown as { child: ChildProcess | null }).child;

describe('CurvesRenderer', () => {
  it('renders in a child process, answers each request with its own image, and ends the child on close', async () => {
    const renderer = new CurvesRenderer();
    const [one, two] = await Promise.all([renderer.render(classes(1), {}), renderer.render(classes(6), {})]);
    const child = childOf(renderer)!;
    expect(child.pid).to.be.a('number');
    for (const image of [one, two]) {
      expect(Array.from(image.png.subarray(0, 8))).to.deep.equal(PNG_SIGNATURE);
      const view = new DataView(image.png.buffer, image.png.byteOffset);
      expect([view.getUint32(16), view.getUint32(20)]).to.deep.equal([image.width, image.height]);
    }
    expect(two.height, 'six panels wrap into two rows: each reply went to its own request').to.be.greaterThan(one.height);
    const exited = once(child, 'exit');
    renderer.close();
    await exited;
    expect(childOf(renderer)).to.equal(null);
  });

  it('renders in this process when the child dies with images pending', async () => {
    const renderer = new CurvesRenderer();
    await renderer.render(classes(1), {});
    const child = childOf(renderer)!;
    const pending = renderer.render(classes(3), {});
    child.kill('SIGKILL');
    const image = await pending;
    expect(Array.from(image.png.subarray(0, 8))).to.deep.equal(PNG_SIGNATURE);
    expect(childOf(renderer), 'no new child after a crash').to.equal(null);
    const again = await renderer.render(classes(1), {});
    expect(again.width).to.be.greaterThan(0);
    expect(childOf(renderer)).to.equal(null);
    renderer.close();
  });

  it('passes a rendering error on', async () => {
    const renderer = new CurvesRenderer();
    const error = await renderer.render([], {}).then(() => null, (e: Error) => e);
    renderer.close();
    expect(error?.message).to.match(/no classes to plot/);
  });
});
