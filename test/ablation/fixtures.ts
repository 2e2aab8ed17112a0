// Tiny models of the shapes the ablation must handle, each with a hand-written forward pass that
// zeroes units of the target output: the naive reference the engine is checked against.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

export const K = 3;
export const INPUT: [number, number, number] = [6, 6, 2];

export interface FixtureSpec {
  name: string;
  /** Target layer name, and whether it is the default (last convolution). */
  layer: string;
  isDefault: boolean;
  /** Whether the head qualifies for the prefix path. */
  prefix: boolean;
}

/** What the tests cover; models are built later (`buildFixtures`), once a backend is set. */
export const FIXTURE_SPECS: FixtureSpec[] = [
  { name: 'vgg', layer: 'c2', isDefault: true, prefix: true },
  { name: 'gap', layer: 'c2', isDefault: true, prefix: true },
  { name: 'chain', layer: 'c2', isDefault: true, prefix: true },
  { name: 'batchnorm', layer: 'c2', isDefault: true, prefix: false },
  { name: 'mobilenet', layer: 'sep', isDefault: true, prefix: true },
  { name: 'mobilenet-dw', layer: 'dw', isDefault: false, prefix: true },
  { name: 'mobilenet-pw', layer: 'pw', isDefault: false, prefix: false },
  { name: 'residual', layer: 'res', isDefault: true, prefix: false },
  { name: 'late-skip', layer: 'res', isDefault: true, prefix: true },
];

export interface Fixture extends FixtureSpec {
  model: tfl.LayersModel;
  /** Logits/probabilities with the target output multiplied by `mask` ([M], 1 = keep); inference mode. */
  forward(x: tf.Tensor, mask?: tf.Tensor): tf.Tensor;
  /** The target layer's output. */
  targetOutput(x: tf.Tensor): tf.Tensor;
}

let seed = 1;
const init = () => tfl.initializers.glorotUniform({ seed: seed++ });
const conv = (name: string, filters: number, activation: 'relu' | 'linear' = 'relu', kernelSize = 3) =>
  tfl.layers.conv2d({ name, filters, kernelSize, padding: 'same', activation, kernelInitializer: init() });
const firstConv = (name: string, filters: number) =>
  tfl.layers.conv2d({ inputShape: INPUT, name, filters, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init() });
const dense = (name: string, units: number, activation: 'relu' | 'softmax' | 'linear' = 'softmax') =>
  tfl.layers.dense({ name, units, activation, kernelInitializer: init() });

const apply = (layer: tfl.layers.Layer, x: tf.Tensor | tf.Tensor[]) => layer.apply(x, { training: false }) as tf.Tensor;

/** Sequential: run every layer, masking right after the target. */
function sequentialFixture(name: string, model: tfl.LayersModel): Fixture {
  const spec = FIXTURE_SPECS.find((f) => f.name === name)!;
  const { layer } = spec;
  return {
    ...spec, model,
    forward(x, mask) {
      let h = x;
      for (const l of model.layers) {
        h = apply(l, h);
        if (l.name === layer && mask) h = tf.mul(h, mask);
      }
      return h;
    },
    targetOutput(x) {
      let h = x;
      for (const l of model.layers) {
        h = apply(l, h);
        if (l.name === layer) return h;
      }
      throw new Error(`no layer ${layer}`);
    },
  };
}

const sequential = (name: string, layers: tfl.layers.Layer[]) => tfl.sequential({ name, layers });

function randomizeBatchNorm(bn: tfl.layers.Layer, channels: number, s: number): void {
  bn.setWeights([
    tf.randomUniform([channels], 0.5, 1.5, 'float32', s),
    tf.randomUniform([channels], -0.5, 0.5, 'float32', s + 1),
    tf.randomUniform([channels], -0.2, 0.2, 'float32', s + 2),
    tf.randomUniform([channels], 0.5, 2, 'float32', s + 3),
  ]);
}

export function buildFixtures(): Fixture[] {
  seed = 1;
  const fixtures: Fixture[] = [];

  fixtures.push(sequentialFixture('vgg', sequential('vgg', [
    firstConv('c1', 4),
    tfl.layers.maxPooling2d({ name: 'p1', poolSize: 2 }),
    conv('c2', 36), // M + 1 > 2 blocks of the prefix path's blocked sums
    tfl.layers.maxPooling2d({ name: 'p2', poolSize: 2, padding: 'same' }),
    tfl.layers.flatten({ name: 'flat' }),
    dense('d1', 12, 'relu'),
    tfl.layers.dropout({ name: 'drop', rate: 0.5 }),
    dense('logits', K),
  ])));

  fixtures.push(sequentialFixture('gap', sequential('gap', [
    firstConv('c1', 4),
    conv('c2', 8),
    tfl.layers.globalAveragePooling2d({ name: 'gap' }),
    dense('logits', K),
  ])));

  fixtures.push(sequentialFixture('chain', sequential('chain', [
    firstConv('c1', 4),
    conv('c2', 8, 'linear'),
    tfl.layers.activation({ name: 'act', activation: 'relu' }),
    tfl.layers.zeroPadding2d({ name: 'pad', padding: 1 }),
    tfl.layers.averagePooling2d({ name: 'avg', poolSize: 2 }),
    tfl.layers.flatten({ name: 'flat' }),
    dense('logits', K, 'linear'),
  ])));

  const bnLayers = [
    firstConv('c1', 4),
    conv('c2', 8, 'linear'),
    tfl.layers.batchNormalization({ name: 'bn' }),
    tfl.layers.activation({ name: 'act', activation: 'relu' }),
    tfl.layers.maxPooling2d({ name: 'p', poolSize: 2 }),
    tfl.layers.flatten({ name: 'flat' }),
    dense('logits', K),
  ];
  fixtures.push(sequentialFixture('batchnorm', sequential('batchnorm', bnLayers)));
  randomizeBatchNorm(bnLayers[2], 8, 11);

  const mobileLayers = [
    firstConv('stem', 20),
    tfl.layers.depthwiseConv2d({ name: 'dw', kernelSize: 3, padding: 'same', activation: 'relu', depthwiseInitializer: init() }),
    conv('pw', 8, 'relu', 1),
    tfl.layers.separableConv2d({
      name: 'sep', filters: 8, kernelSize: 3, padding: 'same', activation: 'relu',
      depthwiseInitializer: init(), pointwiseInitializer: init(),
    }),
    tfl.layers.globalAveragePooling2d({ name: 'gap' }),
    dense('logits', K),
  ];
  const mobile = sequential('mobilenet', mobileLayers);
  fixtures.push(sequentialFixture('mobilenet', mobile));
  fixtures.push(sequentialFixture('mobilenet-dw', mobile));
  fixtures.push(sequentialFixture('mobilenet-pw', mobile));

  const input = tfl.input({ shape: INPUT, name: 'x' });
  const stem = conv('stem', 8);
  const target = conv('res', 8);
  const add = tfl.layers.add({ name: 'add' });
  const relu = tfl.layers.activation({ name: 'act', activation: 'relu' });
  const gap = tfl.layers.globalAveragePooling2d({ name: 'gap' });
  const logits = dense('logits', K);
  const a = stem.apply(input) as tfl.SymbolicTensor;
  const out = logits.apply(gap.apply(relu.apply(add.apply([target.apply(a) as tfl.SymbolicTensor, a])))) as tfl.SymbolicTensor;
  fixtures.push({
    ...FIXTURE_SPECS.find((f) => f.name === 'residual')!, model: tfl.model({ name: 'residual', inputs: input, outputs: out }),
    forward(x, mask) {
      const h = apply(stem, x);
      let t = apply(target, h);
      if (mask) t = tf.mul(t, mask);
      return apply(logits, apply(gap, apply(relu, apply(add, [t, h]))));
    },
    targetOutput: (x) => apply(target, apply(stem, x)),
  });

  // The head qualifies for the prefix path, and a trunk tensor joins it after the mixing layer.
  const input2 = tfl.input({ shape: INPUT, name: 'x2' });
  const stem2 = conv('stem', 8);
  const target2 = conv('res', 24);
  const gap2 = tfl.layers.globalAveragePooling2d({ name: 'gap' });
  const mix = dense('mix', 10, 'relu');
  const skipPool = tfl.layers.globalAveragePooling2d({ name: 'skip_gap' });
  const skip = dense('skip', 10, 'linear');
  const join = tfl.layers.add({ name: 'join' });
  const logits2 = dense('logits', K);
  const s2 = stem2.apply(input2) as tfl.SymbolicTensor;
  const joined = join.apply([
    mix.apply(gap2.apply(target2.apply(s2))) as tfl.SymbolicTensor,
    skip.apply(skipPool.apply(s2)) as tfl.SymbolicTensor,
  ]);
  fixtures.push({
    ...FIXTURE_SPECS.find((f) => f.name === 'late-skip')!,
    model: tfl.model({ name: 'late_skip', inputs: input2, outputs: logits2.apply(joined) as tfl.SymbolicTensor }),
    forward(x, mask) {
      const h = apply(stem2, x);
      let t = apply(target2, h);
      if (mask) t = tf.mul(t, mask);
      return apply(logits2, apply(join, [apply(mix, apply(gap2, t)), apply(skip, apply(skipPool, h))]));
    },
    targetOutput: (x) => apply(target2, apply(stem2, x)),
  });
  for (const model of new Set(fixtures.map((f) => f.model))) balanceClasses(fixtures.find((f) => f.model === model)!);
  return fixtures;
}

/** Shifts the output bias so an untrained model predicts every class about equally often. */
function balanceClasses(fixture: Fixture): void {
  const out = fixture.model.getLayer('logits');
  const [kernel, bias] = out.getWeights();
  tf.tidy(() => {
    const probs = fixture.forward(tf.randomNormal([90, ...INPUT], 0, 2, 'float32', 99));
    const scores = out.getConfig().activation === 'softmax' ? tf.log(tf.add(probs, 1e-7)) : probs;
    out.setWeights([kernel, tf.sub(bias, tf.mean(scores, 0))]);
  });
}

/** Random inputs, labelled with the model's own prediction for most samples so curves are not flat. */
export function makeData(fixture: Fixture, n = 45, s = 7): { x: tf.Tensor; y: tf.Tensor; labels: number[] } {
  const x = tf.randomNormal([n, ...INPUT], 0, 2, 'float32', s);
  const predicted = tf.tidy(() => tf.argMax(fixture.forward(x), -1).dataSync());
  const labels = Array.from(predicted, (p, i) => (i % 4 === 3 ? (p + 1 + (i % 2)) % K : p));
  // every class gets some samples, whatever the untrained model prefers
  for (let j = 0; j < K; j++) labels[j] = j;
  return { x, y: tf.oneHot(tf.tensor1d(labels, 'int32'), K), labels };
}
