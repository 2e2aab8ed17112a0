import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { cumulativeAblation, labelsToClassIndices, resolveTargetLayer } from '../../src/ablation/index.js';
import { createRng } from '../../src/util/random.js';
import { sampleIndicesByClass } from '../../src/data/sampling.js';
import { buildFixtures, INPUT, K, makeData, type Fixture } from './fixtures.js';
import { expectCurveMatches, naiveCurve, naiveScores } from './naive.js';

describe('cumulativeAblation options', () => {
  let fixtures: Fixture[];
  const fixture = (name: string) => fixtures.find((f) => f.name === name)!;
  before(() => { fixtures = buildFixtures(); });

  it('samples classes and samples per class with the shared seeded sampler', async () => {
    const vgg = fixture('vgg');
    const data = makeData(vgg);
    try {
      const result = await cumulativeAblation(vgg.model, data, { classes: 2, samplesPerClass: 5, seed: 3 });
      const rng = createRng(3);
      const classes = rng.sample([0, 1, 2], 2).sort((a, b) => a - b);
      const picked = sampleIndicesByClass(data.labels, K, classes, rng, 5);
      expect(result.perClass.map((c) => c.classIndex)).to.deep.equal(classes);
      for (const c of result.perClass) {
        expect(c.samples).to.equal(5);
        const x = tf.gather(data.x, picked.get(c.classIndex)!);
        const naive = naiveCurve(vgg, x, c.classIndex, c.order);
        x.dispose();
        expectCurveMatches(c.curve, 5, naive, `class ${c.classIndex}`);
      }
    } finally {
      tf.dispose([data.x, data.y]);
    }
  });

  it('gives the same result for integer and one-hot labels', async () => {
    const gap = fixture('gap');
    const data = makeData(gap);
    const integer = tf.tensor1d(data.labels, 'int32');
    try {
      const oneHot = await cumulativeAblation(gap.model, data);
      const plain = await cumulativeAblation(gap.model, { x: data.x, y: integer });
      expect(plain.perClass).to.deep.equal(oneHot.perClass);
      expect(Array.from(await labelsToClassIndices(integer))).to.deep.equal(data.labels);
      expect(Array.from(await labelsToClassIndices(data.y, K))).to.deep.equal(data.labels);
    } finally {
      tf.dispose([data.x, data.y, integer]);
    }
  });

  it("ranks by mean absolute activation with score 'l1'", async () => {
    const chain = fixture('chain'); // linear target: signs differ, so 'l1' and 'mean' rank differently
    const data = makeData(chain);
    try {
      const l1 = await cumulativeAblation(chain.model, data, { score: 'l1', classes: [0] });
      const mean = await cumulativeAblation(chain.model, data, { classes: [0] });
      const x = tf.gather(data.x, data.labels.flatMap((l, i) => (l === 0 ? [i] : [])));
      const byL1 = naiveScores(chain, x, 'l1');
      const byMean = naiveScores(chain, x, 'mean');
      x.dispose();
      const sorted = (s: number[]) => s.map((_, i) => i).sort((a, b) => s[b] - s[a] || a - b);
      expect(l1.perClass[0].order).to.deep.equal(sorted(byL1));
      expect(mean.perClass[0].order).to.deep.equal(sorted(byMean));
      expect(l1.perClass[0].order).to.not.deep.equal(mean.perClass[0].order);
    } finally {
      tf.dispose([data.x, data.y]);
    }
  });

  it('ranks units with equal scores by channel index (dead units last, ascending)', async () => {
    const vgg = fixture('vgg');
    const c2 = vgg.model.getLayer('c2');
    const [kernel, bias] = c2.getWeights();
    const original = [kernel.clone(), bias.clone()];
    const dead = [1, 4, 6];
    const keep = tf.tensor1d(Array.from({ length: kernel.shape[3] as number }, (_, i): number => (dead.includes(i) ? 0 : 1)));
    const killed = tf.tidy(() => [tf.mul(kernel, keep), tf.mul(bias, keep)]);
    c2.setWeights(killed);
    const data = makeData(vgg);
    try {
      const result = await cumulativeAblation(vgg.model, data);
      for (const c of result.perClass) {
        const x = tf.gather(data.x, data.labels.flatMap((l, i) => (l === c.classIndex ? [i] : [])));
        const scores = naiveScores(vgg, x);
        x.dispose();
        // the killed units, and any the ReLU silences on these samples, score exactly 0
        const zero = scores.flatMap((h, u) => (h === 0 ? [u] : []));
        expect(zero).to.include.members(dead);
        expect(c.order.slice(-zero.length)).to.deep.equal(zero);
        expect(c.order.slice(0, -zero.length).every((u) => scores[u] > 0)).to.equal(true);
      }
    } finally {
      c2.setWeights(original);
      tf.dispose([...original, ...killed, keep, data.x, data.y]);
    }
  });

  it('uses the chance level given', async () => {
    const vgg = fixture('vgg');
    const data = makeData(vgg);
    try {
      const result = await cumulativeAblation(vgg.model, data, { chance: 0.5 });
      expect(result.chance).to.equal(0.5);
      for (const c of result.perClass) {
        const first = c.curve.findIndex((e) => e <= 0.5);
        expect(c.n0).to.equal(first >= 0 ? first : c.curve.indexOf(Math.min(...c.curve)));
      }
      expect((await cumulativeAblation(vgg.model, data, { classes: [0] })).chance).to.equal(1 / K);
    } finally {
      tf.dispose([data.x, data.y]);
    }
  });
});

describe('nested models used as layers', () => {
  let model: tfl.LayersModel;
  let block: tfl.Sequential;
  before(() => {
    const init = (seed: number) => tfl.initializers.glorotUniform({ seed });
    block = tfl.sequential({
      name: 'block',
      layers: [
        tfl.layers.conv2d({ inputShape: INPUT, name: 'inner1', filters: 4, kernelSize: 3, activation: 'relu', kernelInitializer: init(1) }),
        tfl.layers.conv2d({ name: 'inner2', filters: 6, kernelSize: 3, activation: 'relu', kernelInitializer: init(2) }),
      ],
    });
    const input = tfl.input({ shape: INPUT });
    const features = block.apply(input) as tfl.SymbolicTensor;
    const pooled = tfl.layers.globalAveragePooling2d({ name: 'gap' }).apply(features);
    const out = tfl.layers.dense({ name: 'logits', units: K, activation: 'softmax', kernelInitializer: init(3) }).apply(pooled);
    model = tfl.model({ name: 'outer', inputs: input, outputs: out as tfl.SymbolicTensor });
  });

  it('refuses a convolution inside the nested model, naming the layer to pick', () => {
    expect(() => resolveTargetLayer(model)).to.throw(/the last convolution 'inner2' is inside nested model 'block'.*pass layer: 'block'/);
    expect(() => resolveTargetLayer(model, 'inner1')).to.throw(/layer: 'inner1' is inside nested model 'block'.*pass layer: 'block'/);
  });

  it('ablates the nested model output when it is named, equal to the naive ablation', async () => {
    const x = tf.randomNormal([30, ...INPUT], 0, 2, 'float32', 4);
    const labels = Array.from(tf.tidy(() => tf.argMax(model.predict(x) as tf.Tensor, -1).dataSync()));
    const y = tf.tensor1d(labels, 'int32');
    const forward = (xs: tf.Tensor, mask?: tf.Tensor) => {
      const h = block.apply(xs, { training: false }) as tf.Tensor;
      return model.getLayer('logits').apply(model.getLayer('gap').apply(mask ? tf.mul(h, mask) : h)) as tf.Tensor;
    };
    try {
      const before = tf.memory().numTensors;
      const result = await cumulativeAblation(model, { x, y }, { layer: 'block' });
      expect(tf.memory().numTensors).to.equal(before);
      expect(result.layer).to.equal('block');
      expect(result.units).to.equal(6);
      const naiveFixture = { forward } as Fixture;
      for (const c of result.perClass) {
        const xs = tf.gather(x, labels.flatMap((l, i) => (l === c.classIndex ? [i] : [])));
        const naive = naiveCurve(naiveFixture, xs, c.classIndex, c.order);
        xs.dispose();
        expectCurveMatches(c.curve, c.samples, naive, `class ${c.classIndex}`);
      }
    } finally {
      tf.dispose([x, y]);
    }
  });
});
