import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import { disposeDataset, loadDataset, loadIdx, parseIdx } from '../../src/data/index.js';

/** An IDX file written by hand: 0, 0, type, rank, big-endian uint32 dims, data. */
function idx(dims: number[], data: number[], type = 0x08): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  out.set([0, 0, type, dims.length]);
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

// 3 training images of 2x3 pixels, 2 test images.
const trainPixels = Array.from({ length: 18 }, (_, i) => i * 15);
const testPixels = [255, 0, 51, 102, 153, 204, 1, 2, 3, 4, 5, 6];
const trainLabels = [0, 2, 1];
const testLabels = [1, 1];

describe('data: IDX files', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'sgm-idx-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function writeSet(gz: boolean): void {
    const put = (name: string, bytes: Uint8Array) => writeFileSync(join(dir, gz ? `${name}.gz` : name), gz ? gzipSync(bytes) : bytes);
    put('train-images-idx3-ubyte', idx([3, 2, 3], trainPixels));
    put('train-labels-idx1-ubyte', idx([3], trainLabels));
    put('t10k-images-idx3-ubyte', idx([2, 2, 3], testPixels));
    put('t10k-labels-idx1-ubyte', idx([2], testLabels));
  }

  for (const gz of [false, true]) {
    it(`loads ${gz ? 'gzipped' : 'raw'} files as [N, H, W, 1] in [0, 1]`, () => {
      writeSet(gz);
      const before = tf.memory().numTensors;
      const ds = loadDataset(`idx:${dir}`);
      expect(ds.name).to.equal(`idx:${dir}`);
      expect(ds.numClasses).to.equal(3);
      expect(ds.train.x.shape).to.deep.equal([3, 2, 3, 1]);
      expect(ds.test.x.shape).to.deep.equal([2, 2, 3, 1]);
      // Images come in a seeded order; sourceIndex says which file position each is.
      const x = ds.train.x.dataSync();
      ds.train.sourceIndex.forEach((src, i) => {
        expect(ds.train.labels[i]).to.equal(trainLabels[src]);
        Array.from(x.subarray(i * 6, i * 6 + 6)).forEach((v, j) => expect(v).to.be.closeTo(trainPixels[src * 6 + j] / 255, 1e-7));
      });
      expect(Array.from(ds.train.sourceIndex).sort()).to.deep.equal([0, 1, 2]);
      const t = ds.test.x.dataSync();
      const first = ds.test.sourceIndex[0];
      expect(t[0]).to.be.closeTo(testPixels[first * 6] / 255, 1e-7);
      disposeDataset(ds);
      expect(tf.memory().numTensors).to.equal(before);
    });
  }

  it('takes a seeded sample when sizes are given', () => {
    writeSet(true);
    const a = loadIdx(dir, { trainSize: 2, testSize: 1, seed: 5 });
    const b = loadIdx(dir, { trainSize: 2, testSize: 1, seed: 5 });
    expect(a.train.labels.length).to.equal(2);
    expect(a.test.labels.length).to.equal(1);
    expect(Array.from(b.train.sourceIndex)).to.deep.equal(Array.from(a.train.sourceIndex));
    a.train.sourceIndex.forEach((src, i) => expect(a.train.labels[i]).to.equal(trainLabels[src]));
    expect(() => loadIdx(dir, { trainSize: 4 })).to.throw(/trainSize must be an integer in 1\.\.3, got 4/);
    [a, b].forEach(disposeDataset);
  });

  it('names the missing file and the names it looked for', () => {
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), idx([3, 2, 3], trainPixels));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), idx([3], trainLabels));
    expect(() => loadIdx(dir)).to.throw(/no t10k images in .*t10k-images-idx3-ubyte\.gz/);
  });

  it('rejects labels that do not match the images', () => {
    writeSet(false);
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), idx([3], [0, 1, 2]));
    expect(() => loadIdx(dir)).to.throw(/labels dims \[3\] do not match 2 images/);
  });

  it('rejects a file that is not unsigned-byte IDX or is truncated', () => {
    expect(() => parseIdx(new Uint8Array([1, 0, 8, 1, 0, 0, 0, 0]), 'f')).to.throw(/f: not an IDX file/);
    expect(() => parseIdx(idx([2], [0, 0, 0, 0, 0, 0, 0, 0], 0x0d), 'f')).to.throw(/type 0xd is not supported/);
    expect(() => parseIdx(idx([3], [1, 2]), 'f')).to.throw(/dims \[3\] need 3 bytes of data, the file has 2/);
    expect(parseIdx(gzipSync(idx([2, 1], [7, 9])))).to.deep.equal({ dims: [2, 1], data: new Uint8Array([7, 9]) });
  });
});
