import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'chai';
import { RECIPE, trainingBatches } from '../../examples/mnist-cnn3.js';

/** The sample ids (stored as x values) of every batch of one pass over the dataset. */
async function epochOrder(batches: ReturnType<typeof trainingBatches>) {
  const it = await batches.iterator();
  const ids: number[][] = [];
  for (let next = await it.next(); !next.done; next = await it.next()) {
    const { xs, ys } = next.value as { xs: tf.Tensor; ys: tf.Tensor };
    const x = Array.from(await xs.data());
    expect(Array.from(await ys.data())).to.deep.equal(x.map((v) => v * 10), 'targets travel with their inputs');
    ids.push(x);
    tf.dispose([xs, ys]);
  }
  return ids;
}

describe('examples: seeded training batches', () => {
  const n = 150;
  let x: tf.Tensor;
  let y: tf.Tensor2D;
  before(() => {
    x = tf.tensor2d(Array.from({ length: n }, (_, i) => i), [n, 1]);
    y = tf.tensor2d(Array.from({ length: n }, (_, i) => i * 10), [n, 1]);
  });
  after(() => tf.dispose([x, y]));

  it('visit every sample once per epoch in batches of the recipe size, in a new seeded order each epoch', async () => {
    const before = tf.memory().numTensors;
    const dataset = trainingBatches(x, y, 3);
    const first = await epochOrder(dataset);
    const second = await epochOrder(dataset);
    expect(first.map((b) => b.length)).to.deep.equal([RECIPE.batchSize, RECIPE.batchSize, n - 2 * RECIPE.batchSize]);
    for (const epoch of [first, second]) expect(epoch.flat().sort((a, b) => a - b)).to.deep.equal(Array.from({ length: n }, (_, i) => i));
    expect(second.flat()).to.not.deep.equal(first.flat());
    const again = trainingBatches(x, y, 3);
    expect(await epochOrder(again)).to.deep.equal(first);
    expect(await epochOrder(again)).to.deep.equal(second);
    expect(await epochOrder(trainingBatches(x, y, 4))).to.not.deep.equal(first);
    expect(tf.memory().numTensors).to.equal(before);
  });
});
