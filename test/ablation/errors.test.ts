import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { cumulativeAblation, type AblationOptions } from '../../src/ablation/index.js';
import { buildFixtures, INPUT, K, makeData, type Fixture } from './fixtures.js';

async function expectRejects(run: () => Promise<unknown>, pattern: RegExp): Promise<void> {
  const before = tf.memory().numTensors;
  let error: Error | undefined;
  try {
    await run();
  } catch (e) {
    error = e as Error;
  }
  expect(error, `expected an error matching ${pattern}`).to.be.instanceOf(Error);
  expect(error!.message).to.match(pattern);
  expect(tf.memory().numTensors, 'tensors left behind').to.equal(before);
}

describe('cumulativeAblation: bad input', () => {
  let vgg: Fixture;
  let data: ReturnType<typeof makeData>;
  before(() => {
    vgg = buildFixtures().find((f) => f.name === 'vgg')!;
    data = makeData(vgg);
  });
  after(() => tf.dispose([data.x, data.y]));

  const cases: [string, AblationOptions, RegExp][] = [
    ['unknown layer, listing the convolutions', { layer: 'nope' }, /layer: 'nope' is not a layer of model 'vgg'; the convolution layers are 'c1', 'c2'/],
    ['class index out of range', { classes: [0, 5] }, /classes: class index 5 is out of range \[0, 3\)/],
    ['class count out of range', { classes: 4 }, /classes: 4 must be an integer in \[1, 3\]/],
    ['duplicate class', { classes: [1, 1] }, /classes: class index 1 is listed twice/],
    ['samplesPerClass < 1', { samplesPerClass: 0 }, /samplesPerClass: 0 must be an integer >= 1/],
    ['fractional samplesPerClass', { samplesPerClass: 2.5 }, /samplesPerClass: 2.5/],
    ['unknown strategy', { strategy: 'fast' as never }, /strategy: 'fast' must be one of/],
    ['unknown score', { score: 'max' as never }, /score: 'max'/],
    ['chance outside [0, 1)', { chance: 1.5 }, /chance: 1.5/],
    ['memory bound not positive', { maxBatchBytes: 0 }, /maxBatchBytes: 0/],
    ['misspelt option', { strategi: 'auto' } as AblationOptions, /unknown option 'strategi'/],
  ];
  for (const [what, options, pattern] of cases) {
    it(`rejects ${what}`, () => expectRejects(() => cumulativeAblation(vgg.model, data, options), pattern));
  }

  it('rejects labels that do not match x', async () => {
    const fewer = tf.slice(data.y, 0, 44);
    const wide = tf.oneHot(tf.tensor1d(data.labels, 'int32'), K + 1);
    const outOfRange = tf.tensor1d(data.labels.map((l, i) => (i === 7 ? K : l)), 'int32');
    const rank3 = tf.zeros([45, 3, 1]);
    try {
      await expectRejects(() => cumulativeAblation(vgg.model, { x: data.x, y: fewer }), /data\.y: 44 labels for 45 samples/);
      await expectRejects(() => cumulativeAblation(vgg.model, { x: data.x, y: wide }), /y: one-hot width 4 does not match the model's 3 classes/);
      await expectRejects(() => cumulativeAblation(vgg.model, { x: data.x, y: outOfRange }), /y: label 3 of sample 7 is not an integer in \[0, 3\)/);
      await expectRejects(() => cumulativeAblation(vgg.model, { x: data.x, y: rank3 }), /y: shape \[45,3,1\]/);
    } finally {
      tf.dispose([fewer, wide, outOfRange, rank3]);
    }
  });

  it('rejects empty data and inputs of the wrong shape', async () => {
    const empty = tf.zeros([0, ...INPUT]);
    const emptyY = tf.zeros([0, K]);
    const wrong = tf.zeros([45, 5, 5, 2]);
    try {
      await expectRejects(() => cumulativeAblation(vgg.model, { x: empty, y: emptyY }), /data\.x: empty \(shape \[0, 6, 6, 2\]\)/);
      await expectRejects(() => cumulativeAblation(vgg.model, { x: wrong, y: data.y }), /data\.x: shape \[45, 5, 5, 2\] does not fit the model input \[null, 6, 6, 2\]/);
    } finally {
      tf.dispose([empty, emptyY, wrong]);
    }
  });

  it('rejects a layer without a channel axis, listing the convolutions', async () => {
    const model = tfl.sequential({
      name: 'reshaped',
      layers: [
        tfl.layers.conv2d({ inputShape: INPUT, name: 'conv', filters: 4, kernelSize: 3 }),
        tfl.layers.reshape({ name: 'rs', targetShape: [16, 4] }),
        tfl.layers.flatten({ name: 'flat' }),
        tfl.layers.dense({ name: 'out', units: K }),
      ],
    });
    await expectRejects(
      () => cumulativeAblation(model, data, { layer: 'rs' }),
      /layer: 'rs' \(output shape \[null,16,4\]\) has no channel axis.*the convolution layers are 'conv'/,
    );
  });
});

describe('cumulativeAblation: classes it cannot probe are skipped with a reason', () => {
  let fixtures: Fixture[];
  before(() => { fixtures = buildFixtures(); });

  it('skips a class with no samples and one whose activations are not finite', async () => {
    // a linear target, so NaN inputs reach it (a fused ReLU may turn NaN into 0)
    const model = tfl.sequential({
      name: 'linear',
      layers: [
        tfl.layers.conv2d({ inputShape: INPUT, name: 'lin', filters: 4, kernelSize: 3, kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }) }),
        tfl.layers.globalAveragePooling2d({ name: 'gap' }),
        tfl.layers.dense({ name: 'out', units: K, kernelInitializer: tfl.initializers.glorotUniform({ seed: 4 }) }),
      ],
    });
    const labels = Array.from({ length: 12 }, (_, i) => i % 2);
    const x = tf.tidy(() => tf.add(tf.randomNormal([12, ...INPUT], 0, 1, 'float32', 5),
      tf.reshape(tf.tensor1d(labels.map((l) => (l === 1 ? NaN : 0))), [-1, 1, 1, 1])));
    const y = tf.tensor1d(labels, 'int32');
    try {
      const before = tf.memory().numTensors;
      const result = await cumulativeAblation(model, { x, y });
      expect(tf.memory().numTensors).to.equal(before);
      expect(result.perClass.map((c) => c.classIndex)).to.deep.equal([0]);
      expect(result.skipped).to.deep.equal([
        { classIndex: 1, reason: "non-finite activations in layer 'lin'" },
        { classIndex: 2, reason: 'no samples labelled 2 in data.y' },
      ]);
      expect(result.zeta).to.equal(result.perClass[0].zeta);
      expect(result.kappa).to.equal(result.perClass[0].kappa);
    } finally {
      tf.dispose([x, y]);
    }
  });

  it('skips a class the model never predicts when normalizeKappa has nothing to divide by', async () => {
    const gap = fixtures.find((f) => f.name === 'gap')!;
    const logits = gap.model.getLayer('logits');
    const [kernel, bias] = logits.getWeights();
    const original = [kernel.clone(), bias.clone()];
    const never2 = tf.tensor1d([0, 0, -1e4]);
    logits.setWeights([kernel, never2]);
    never2.dispose();
    // labelled by the model's own predictions, so only the forced and the relabelled samples are class 2
    const data = makeData(gap);
    try {
      const plain = await cumulativeAblation(gap.model, data);
      expect(plain.perClass.find((c) => c.classIndex === 2)?.trainAccuracy).to.equal(0);
      const before = tf.memory().numTensors;
      const result = await cumulativeAblation(gap.model, data, { normalizeKappa: true });
      expect(tf.memory().numTensors).to.equal(before);
      const neverRight = plain.perClass.filter((c) => c.trainAccuracy === 0).map((c) => c.classIndex);
      expect(result.skipped).to.deep.equal(neverRight.map((classIndex) => (
        { classIndex, reason: 'training accuracy E(0) is 0, so normalizeKappa cannot divide by it' })));
      expect(result.perClass.map((c) => c.classIndex)).to.deep.equal([0, 1, 2].filter((j) => !neverRight.includes(j)));
      const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
      for (const c of result.perClass) {
        const unnormalized = plain.perClass.find((p) => p.classIndex === c.classIndex)!;
        expect(c.kappa).to.be.closeTo(unnormalized.kappa / unnormalized.trainAccuracy, 1e-12);
      }
      expect(result.kappa).to.be.closeTo(mean(result.perClass.map((c) => c.kappa)), 1e-12);
    } finally {
      logits.setWeights(original);
      tf.dispose([...original, data.x, data.y]);
    }
  });
});
