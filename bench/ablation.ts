// Cost of one class's cumulative ablation per strategy, against one plain model.predict over the
// same samples, on a VGG-style model whose target layer has M = 256 units (K = 10, 64 samples/class).
// npm run bench:ablation -- [--backend auto|tensorflow|wasm|cpu] [--classes 10] [--json]
// Times are per class (mean over the classes timed), after one untimed warm-up of each strategy.
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend, type BackendPreference } from '../src/backend/index.js';
import { cumulativeAblation, type AblationStrategy } from '../src/ablation/index.js';

const K = 10;
const PER_CLASS = 64;
const TARGET = 'block3_conv2';

function vggStyle(): tfl.Sequential {
  let seed = 1;
  const conv = (name: string, filters: number, extra = {}) => tfl.layers.conv2d({
    name, filters, kernelSize: 3, padding: 'same', activation: 'relu',
    kernelInitializer: tfl.initializers.heNormal({ seed: seed++ }), ...extra,
  });
  return tfl.sequential({
    name: 'vgg_style',
    layers: [
      conv('block1_conv1', 32, { inputShape: [32, 32, 3] }), conv('block1_conv2', 32),
      tfl.layers.maxPooling2d({ name: 'block1_pool', poolSize: 2 }),
      conv('block2_conv1', 64), conv('block2_conv2', 64),
      tfl.layers.maxPooling2d({ name: 'block2_pool', poolSize: 2 }),
      conv('block3_conv1', 128), conv(TARGET, 256),
      tfl.layers.maxPooling2d({ name: 'block3_pool', poolSize: 2 }),
      tfl.layers.flatten({ name: 'flatten' }),
      tfl.layers.dense({ name: 'fc1', units: 256, activation: 'relu', kernelInitializer: tfl.initializers.heNormal({ seed: seed++ }) }),
      tfl.layers.dropout({ name: 'dropout', rate: 0.5 }),
      tfl.layers.dense({ name: 'predictions', units: K, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: seed++ }) }),
    ],
  });
}

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'auto' },
    classes: { type: 'string', default: String(K) },
    json: { type: 'boolean', default: false },
  },
});
const backend = await initBackend(values.backend as BackendPreference, { quiet: values.json });
const classCount = Number(values.classes);
if (!(Number.isInteger(classCount) && classCount >= 1 && classCount <= K)) {
  throw new Error(`--classes: ${values.classes} must be an integer in [1, ${K}]`);
}

const model = vggStyle();
const x = tf.randomNormal([K * PER_CLASS, 32, 32, 3], 0, 1, 'float32', 7);
const y = tf.tensor1d(Array.from({ length: K * PER_CLASS }, (_, i) => i % K), 'int32');

/** Wall-clock ms of one class's ablation, and the part spent on ranking and curves (not the trunk). */
async function ablationMs(strategy: AblationStrategy, classIndex: number): Promise<{ total: number; curves: number }> {
  const start = performance.now();
  const { timings } = await cumulativeAblation(model, { x, y }, { layer: TARGET, strategy, classes: [classIndex] });
  return { total: performance.now() - start, curves: timings.curvesMs };
}

async function predictMs(classIndex: number): Promise<number> {
  const xs = tf.gather(x, Array.from({ length: PER_CLASS }, (_, i) => i * K + classIndex));
  const start = performance.now();
  const out = model.predict(xs) as tf.Tensor;
  await out.data();
  const ms = performance.now() - start;
  tf.dispose([xs, out]);
  return ms;
}

const auto = await cumulativeAblation(model, { x, y }, { layer: TARGET, classes: [0] });
const strategies = ['stepwise', 'batched', 'prefix'] as const;
for (const s of strategies) await ablationMs(s, 0);
await predictMs(0);

type Row = Record<(typeof strategies)[number], { total: number; curves: number }> & { predict: number };
const rows: Row[] = [];
const log = (line: string) => { if (!values.json) console.log(line); };
log(`backend ${backend}; layer ${TARGET}, M = ${auto.units}, K = ${K}, ${PER_CLASS} samples per class; auto -> ${auto.strategy}`);
log('class  stepwise ms  batched ms  prefix ms  predict ms  stepwise/prefix  prefix/predict');
for (let j = 0; j < classCount; j++) {
  const row: Row = {
    stepwise: await ablationMs('stepwise', j),
    batched: await ablationMs('batched', j),
    prefix: await ablationMs('prefix', j),
    predict: await predictMs(j),
  };
  rows.push(row);
  log(`${String(j).padStart(5)}  ${row.stepwise.total.toFixed(0).padStart(11)}  ${row.batched.total.toFixed(0).padStart(10)}  ` +
    `${row.prefix.total.toFixed(1).padStart(9)}  ${row.predict.toFixed(1).padStart(10)}  ` +
    `${(row.stepwise.total / row.prefix.total).toFixed(1).padStart(15)}  ${(row.prefix.total / row.predict).toFixed(2).padStart(14)}`);
}
const mean = (value: (r: Row) => number) => rows.reduce((a, r) => a + value(r), 0) / rows.length;
const autoMs = mean((r) => r[auto.strategy].total);
const stepwiseMs = mean((r) => r.stepwise.total);
const figures = {
  backend, units: auto.units, classes: rows.length, samplesPerClass: PER_CLASS, autoStrategy: auto.strategy,
  stepwiseMs, batchedMs: mean((r) => r.batched.total), prefixMs: mean((r) => r.prefix.total), predictMs: mean((r) => r.predict),
  speedupVsStepwise: stepwiseMs / autoMs, costVsPredict: autoMs / mean((r) => r.predict),
  // every strategy runs the same trunk (everything up to the target) once; these isolate the rest
  trunkMs: autoMs - mean((r) => r[auto.strategy].curves),
  curvesSpeedupVsStepwise: mean((r) => r.stepwise.curves) / mean((r) => r[auto.strategy].curves),
};
log(`mean   ${figures.stepwiseMs.toFixed(0).padStart(11)}  ${figures.batchedMs.toFixed(0).padStart(10)}  ` +
  `${figures.prefixMs.toFixed(1).padStart(9)}  ${figures.predictMs.toFixed(1).padStart(10)}`);
log(`speedupVsStepwise (stepwise / auto) = ${figures.speedupVsStepwise.toFixed(1)} (target >= 50); ` +
  `costVsPredict (auto / predict) = ${figures.costVsPredict.toFixed(2)} (target <= 3)`);
log(`trunk and setup (the same for every strategy) ${figures.trunkMs.toFixed(0)} ms, so stepwise / auto cannot exceed ` +
  `${(stepwiseMs / figures.trunkMs).toFixed(1)}; ranking + curves alone: stepwise / auto = ${figures.curvesSpeedupVsStepwise.toFixed(1)}`);
if (values.json) console.log(JSON.stringify(figures));
tf.dispose([x, y]);
