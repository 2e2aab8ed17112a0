// One reference network: corrupt the labels, train until the training accuracy reaches the target or
// the epoch cap, probing every few epochs (the trajectory), and describe the final state.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { cumulativeAblation } from '../ablation/index.js';
import { corruptLabels, oneHot, type Dataset } from '../data/index.js';
import { disposeTrainedModel } from '../models/dispose.js';
import { createRng } from '../util/random.js';
import type { SweepArchitecture } from './architecture.js';
import { epochImages } from './epoch-data.js';
import { runId, type RunConfig, type SweepSettings } from './grid.js';
import type { ClassRecord, RunRecord, TrajectoryPoint } from './record.js';

export interface RunContext {
  /** The name the dataset was loaded by ('mnist', 'idx:<dir>'). */
  datasetName: string;
  dataset: Dataset;
  architecture: SweepArchitecture;
  settings: SweepSettings;
}

const PREDICT_BATCH = 256;

/** Trains and probes one run; every tensor it makes is freed, on success and on error. */
export async function trainReferenceRun(config: RunConfig, context: RunContext): Promise<RunRecord> {
  const started = performance.now();
  const { dataset, architecture, settings } = context;
  const { numClasses } = dataset;
  const shape = dataset.train.x.shape.slice(1) as [number, number, number];
  const labels = corruptLabels(dataset.train.labels, config.corruption, numClasses, config.seed);
  const pixels = dataset.train.x.dataSync() as Float32Array;
  const rng = createRng(`sweep-epochs:${config.seed}`);
  const all = Array.from(labels, (_, i) => i);
  const targets = oneHot(labels, numClasses);
  let model: tfl.LayersModel | undefined;
  try {
    model = architecture.build(
      { inputShape: shape, numClasses, dropout: config.dropout, l2: config.l2, batchNorm: config.batchNorm, seed: config.seed },
      { optimizer: config.optimizer, learningRate: config.learningRate, momentum: config.momentum },
    );
    const trajectory: TrajectoryPoint[] = [];
    let final: Awaited<ReturnType<typeof probe>> | undefined;
    let stoppedBy: RunRecord['stoppedBy'] = 'cap';
    let epoch = 0;
    while (epoch < config.epochs) {
      epoch++;
      const order = rng.shuffle(all);
      const x = tf.tensor4d(epochImages(pixels, shape, order, config.augment ? rng : undefined), [order.length, ...shape]);
      const y = tf.gather(targets, order);
      let history: tfl.History;
      try {
        history = await model.fit(x, y, { batchSize: config.batchSize, epochs: 1, shuffle: false, verbose: 0 });
      } finally {
        tf.dispose([x, y]);
      }
      const loss = history.history.loss?.[0] as number;
      if (!Number.isFinite(loss)) throw new Error(`run ${runId(config)}: training loss is ${loss} at epoch ${epoch}`);
      const accuracy = (history.history.acc ?? history.history.accuracy)?.[0] as number | undefined;
      if (accuracy === undefined) throw new Error(`architecture ${architecture.name} must be compiled with metrics: ['accuracy']`);
      if (accuracy >= settings.targetAccuracy) stoppedBy = 'target';
      const last = stoppedBy === 'target' || epoch === config.epochs;
      if (epoch % settings.probeEvery === 0 || last) {
        final = await probe(model, context, labels, targets, config.seed);
        trajectory.push({ epoch, ...final.point });
      }
      if (last) break;
    }
    if (!final) throw new Error(`run ${runId(config)}: epochs must be at least 1, got ${config.epochs}`);
    return {
      id: runId(config),
      dataset: context.datasetName,
      architecture: architecture.name,
      config,
      settings,
      layer: architecture.targetLayer,
      units: final.units,
      numClasses,
      inputShape: shape,
      backend: tf.getBackend(),
      epochsTrained: epoch,
      stoppedBy,
      ...final.point,
      perClass: final.perClass,
      skipped: final.skipped,
      trajectory,
      wallSeconds: (performance.now() - started) / 1000,
    };
  } finally {
    if (model) disposeTrainedModel(model);
    targets.dispose();
  }
}

/** Train and test accuracy, and the ablation of every class on the training data as trained on. */
async function probe(model: tfl.LayersModel, context: RunContext, labels: Int32Array, targets: tf.Tensor2D, seed: number) {
  const { dataset, architecture, settings } = context;
  const trainAccuracy = await accuracy(model, dataset.train.x, labels);
  const testAccuracy = await accuracy(model, dataset.test.x, dataset.test.labels);
  const ablation = await cumulativeAblation(model, { x: dataset.train.x, y: targets }, {
    layer: architecture.targetLayer, samplesPerClass: settings.samplesPerClass, seed, strategy: 'auto',
  });
  const perClass: ClassRecord[] = ablation.perClass.map(({ order: _order, ...c }) => c);
  return {
    point: { trainAccuracy, testAccuracy, gap: trainAccuracy - testAccuracy, zeta: ablation.zeta, kappa: ablation.kappa },
    units: ablation.units,
    perClass,
    skipped: ablation.skipped.map((s) => ({ classIndex: s.classIndex, reason: s.reason })),
  };
}

/** Fraction of `x` whose argmax prediction equals its label (inference mode). */
async function accuracy(model: tfl.LayersModel, x: tf.Tensor, labels: Int32Array): Promise<number> {
  const predicted = tf.tidy(() => tf.argMax(model.predict(x, { batchSize: PREDICT_BATCH }) as tf.Tensor, -1));
  const classes = await predicted.data();
  predicted.dispose();
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (classes[i] === labels[i]) correct++;
  return correct / labels.length;
}
