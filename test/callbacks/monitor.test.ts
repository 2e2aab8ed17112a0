import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect } from 'chai';
import { cumulativeAblation } from '../../src/ablation/index.js';
import {
  LOG_KEYS, MonitorSetupError, ProbeError, SparsityGapMonitor, type SparsityGapMonitorOptions,
} from '../../src/callbacks/index.js';
import { probeSeed } from '../../src/callbacks/probe.js';
import { K, SIDE, recordingLogger, tinyData, tinyModel, type TinyData } from './tiny.js';

const N = 36;
let data: TinyData;
before(() => { data = tinyData(N); });
after(() => tf.dispose([data.x, data.y]));

/** A monitor isolated from SGM_MONITOR_* in the environment, with its console lines kept. */
function monitor(options: Partial<SparsityGapMonitorOptions> = {}) {
  const logger = recordingLogger();
  const m = new SparsityGapMonitor({ data: { x: data.x, y: data.y }, logger, ...options }, { env: {} });
  return { m, logger };
}

const fit = (model: tfl.LayersModel, callbacks: (tfl.Callback | tfl.CustomCallback)[], epochs: number, extra: Partial<tfl.ModelFitArgs> = {}) =>
  model.fit(data.x, data.y, { epochs, batchSize: 12, shuffle: false, callbacks, verbose: 0, ...extra });

/** Runs `fn` with console.warn silenced (tfjs' EarlyStopping warns on epochs without its metric). */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = () => {};
  try {
    return await fn();
  } finally {
    console.warn = warn;
  }
}

describe('sparsityGapMonitor in model.fit', () => {
  const cadence: { epochs: number; everyEpochs: number; probeOnTrainEnd: boolean; probed: [number, boolean][] }[] = [
    { epochs: 5, everyEpochs: 2, probeOnTrainEnd: true, probed: [[1, false], [3, false], [4, true]] },
    { epochs: 5, everyEpochs: 2, probeOnTrainEnd: false, probed: [[1, false], [3, false]] },
    { epochs: 4, everyEpochs: 2, probeOnTrainEnd: true, probed: [[1, false], [3, false]] },
    { epochs: 3, everyEpochs: 5, probeOnTrainEnd: true, probed: [[2, true]] },
    { epochs: 3, everyEpochs: 5, probeOnTrainEnd: false, probed: [] },
    { epochs: 2, everyEpochs: 1, probeOnTrainEnd: true, probed: [[0, false], [1, false]] },
  ];
  for (const c of cadence) {
    it(`probes after the right epochs: ${c.epochs} epochs, every ${c.everyEpochs}, probeOnTrainEnd ${c.probeOnTrainEnd}`, async () => {
      const { m } = monitor({ everyEpochs: c.everyEpochs, probeOnTrainEnd: c.probeOnTrainEnd });
      const history = await fit(tinyModel(), [m], c.epochs);
      expect(m.history.map((r) => [r.epoch, r.atTrainEnd])).to.deep.equal(c.probed);
      // Only probes at epoch ends reach the epoch logs; History records them at those epochs.
      const inLogs = c.probed.filter(([, end]) => !end).length;
      expect((history.history[LOG_KEYS.zeta] ?? []).length).to.equal(inLogs);
    });
  }

  it('puts ζ, κ and the predicted gap into the logs that History records', async () => {
    const gapModel = { a: 2, b: -1, c: 0.5 };
    const { m } = monitor({ everyEpochs: 2, gapModel });
    const history = await fit(tinyModel(), [m], 4);
    expect(m.history).to.have.length(2);
    expect(history.history[LOG_KEYS.zeta]).to.deep.equal(m.history.map((r) => r.zeta));
    expect(history.history[LOG_KEYS.kappa]).to.deep.equal(m.history.map((r) => r.kappa));
    const expected = m.history.map((r) => 2 * r.zeta - r.kappa + 0.5);
    (history.history[LOG_KEYS.predictedGap] as number[]).forEach((g, i) => expect(g).to.be.closeTo(expected[i], 1e-12));
    for (const r of m.history) {
      expect(r.zeta).to.be.within(0, 1);
      expect(r.kappa).to.be.within(0, 1);
      expect(r.units).to.equal(4);
      expect(r.perClass.map((c) => c.classIndex)).to.deep.equal([0, 1, 2]);
      r.perClass.forEach((c) => expect(c.samples).to.equal(N / K));
    }
  });

  it('lets tf.callbacks.earlyStopping placed after it act on predicted_gap', async () => {
    const { m } = monitor({ everyEpochs: 2, gapModel: { a: 0, b: 0, c: 0.3 } });
    // Any value fails to beat the baseline, so tfjs stops at the first epoch that has the metric.
    const stopper = tfl.callbacks.earlyStopping({ monitor: LOG_KEYS.predictedGap, mode: 'min', baseline: -1 });
    const history = await quietly(() => fit(tinyModel(), [m, stopper], 8));
    expect(history.epoch).to.deep.equal([0, 1]);
    expect(history.history[LOG_KEYS.predictedGap]).to.deep.equal([0.3]);
  });

  it('probes the sample drawn from (seed, epoch), as the ablation engine draws it', async () => {
    const model = tinyModel();
    const { m } = monitor({ everyEpochs: 10, classesPerProbe: 2, samplesPerClass: 5, seed: 7 });
    await fit(model, [m], 2);
    const [probe] = m.history;
    expect(probe).to.include({ epoch: 1, atTrainEnd: true });
    const labels = tf.tensor1d(data.labels, 'int32');
    const direct = await cumulativeAblation(model, { x: data.x, y: labels }, {
      layer: 'c1', classes: 2, samplesPerClass: 5, seed: probeSeed(7, 1),
    });
    labels.dispose();
    expect(probe.perClass).to.deep.equal(direct.perClass);
    expect(probe.zeta).to.equal(direct.zeta);
    expect(probe.kappa).to.equal(direct.kappa);
    expect(probe.perClass.every((c) => c.samples === 5)).to.equal(true);
  });

  it('draws a fresh sample at every probe', async () => {
    const { m } = monitor({ everyEpochs: 1, classesPerProbe: 1, samplesPerClass: 3 });
    await fit(tinyModel(), [m], 6);
    const drawn = new Set(m.history.map((r) => r.perClass[0].classIndex));
    expect(drawn.size, 'classes drawn over 6 probes').to.be.greaterThan(1);
  });

  it('accepts class indices as data.y, and serves several fits, resetting its history', async () => {
    const { m } = monitor({ data: { x: data.x, y: data.labels }, everyEpochs: 1 });
    const model = tinyModel();
    await fit(model, [m], 2);
    expect(m.history.map((r) => r.epoch)).to.deep.equal([0, 1]);
    await fit(model, [m], 1);
    expect(m.history.map((r) => r.epoch)).to.deep.equal([0]);
  });

  it('works in fitDataset', async () => {
    const tfdata = await import('@tensorflow/tfjs-data');
    const xs = tfdata.array(tf.unstack(data.x));
    const ys = tfdata.array(tf.unstack(data.y));
    const dataset = tfdata.zip({ xs, ys }).batch(12);
    const { m } = monitor({ everyEpochs: 1 });
    const history = await tinyModel().fitDataset(dataset as never, { epochs: 2, callbacks: [m], verbose: 0 });
    expect(m.history.map((r) => r.epoch)).to.deep.equal([0, 1]);
    expect(history.history[LOG_KEYS.zeta]).to.deep.equal(m.history.map((r) => r.zeta));
  });

  it('prints one line per probe when verbose', async () => {
    const { m, logger } = monitor({ everyEpochs: 1, verbose: 1, gapModel: { a: 1, b: 0, c: 0 } });
    await fit(tinyModel(), [m], 2, { validationData: [data.x, data.y] });
    const lines = logger.lines.filter((l) => l.level === 'log').map((l) => l.line);
    expect(lines).to.have.length(2);
    expect(lines[1]).to.match(/epoch 2: ζ 0\.\d{4} {2}κ 0\.\d{4} {2}predicted gap 0\.\d{4} {2}observed gap -?0\.\d{4}/);
  });
});

describe('sparsityGapMonitor early stopping', () => {
  const constantGap = { a: 0, b: 0, c: 0.5 };
  const cases: { name: string; earlyStop: SparsityGapMonitorOptions['earlyStop']; everyEpochs: number; epochsRun: number }[] = [
    { name: 'over the limit at the first probe', earlyStop: { maxPredictedGap: 0.2 }, everyEpochs: 2, epochsRun: 2 },
    { name: 'patience 2', earlyStop: { maxPredictedGap: 0.2, patience: 2 }, everyEpochs: 1, epochsRun: 2 },
    { name: 'startFromEpoch 3', earlyStop: { maxPredictedGap: 0.2, startFromEpoch: 3 }, everyEpochs: 1, epochsRun: 4 },
    { name: 'never over the limit', earlyStop: { maxPredictedGap: 0.6 }, everyEpochs: 1, epochsRun: 6 },
  ];
  for (const c of cases) {
    it(`stops after the right epoch: ${c.name}`, async () => {
      const { m, logger } = monitor({ gapModel: constantGap, earlyStop: c.earlyStop, everyEpochs: c.everyEpochs });
      const history = await fit(tinyModel(), [m], 6);
      expect(history.epoch).to.have.length(c.epochsRun);
      if (c.epochsRun < 6) {
        expect(m.stopReason).to.match(new RegExp(`after epoch ${c.epochsRun}: predicted gap .*0\\.5000 > maxPredictedGap 0\\.2`));
        expect(logger.lines.some((l) => l.line.includes(m.stopReason!))).to.equal(true);
      } else {
        expect(m.stopReason).to.equal(null);
      }
    });
  }

  it('restores the weights of the probe with the lowest predicted gap', async () => {
    const model = tinyModel(3);
    const snapshots: tf.Tensor[][] = [];
    const recorder = new (class extends tfl.Callback {
      override async onEpochEnd() { snapshots.push(model.getWeights().map((w) => w.clone())); }
    })();
    // Predicted gap = ζ + κ; a limit below any value stops at the third probe.
    const { m } = monitor({
      gapModel: { a: 1, b: 1, c: 0 }, everyEpochs: 1,
      earlyStop: { maxPredictedGap: -1, patience: 3, restoreBestWeights: true },
    });
    await fit(model, [recorder, m], 10);
    try {
      expect(m.history).to.have.length(3);
      const gaps = m.history.map((r) => r.zeta + r.kappa);
      const best = gaps.indexOf(Math.min(...gaps));
      expect(m.stopReason).to.match(new RegExp(`restored the weights of epoch ${best + 1}`));
      const now = model.getWeights();
      const sameAs = (epoch: number) => now.every((w, i) => tf.tidy(() => tf.max(tf.abs(tf.sub(w, snapshots[epoch][i])))).dataSync()[0] === 0);
      expect(sameAs(best), `weights equal those after epoch ${best + 1}`).to.equal(true);
      if (best !== 2) expect(sameAs(2), 'weights differ from the last epoch').to.equal(false);
    } finally {
      tf.dispose(snapshots.flat());
    }
  });
});

describe('sparsityGapMonitor errors before training', () => {
  const noConv = () => {
    const model = tfl.sequential({ name: 'flat' });
    model.add(tfl.layers.flatten({ inputShape: [SIDE, SIDE, 1] }));
    model.add(tfl.layers.dense({ units: K, activation: 'softmax' }));
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    return model;
  };
  const cases: { name: string; model?: () => tfl.LayersModel; options: () => Partial<SparsityGapMonitorOptions>; message: RegExp }[] = [
    { name: 'an unknown layer', options: () => ({ layer: 'conv9' }), message: /'conv9' is not a layer of model 'tiny\w*'; the convolution layers are 'c1'/ },
    { name: 'a model without convolutions', model: noConv, options: () => ({}), message: /model 'flat\w*' has no convolution layer/ },
    { name: 'inputs of another shape', options: () => ({ data: { x: tf.zeros([N, 10, 10, 1]), y: data.y } }), message: /data\.x samples have shape \[10,10,1\] but the model's input is \[8,8,1\]/ },
    { name: 'one-hot targets of another width', options: () => ({ data: { x: data.x, y: tf.zeros([N, K + 1]) } }), message: /data\.y: one-hot width 4 does not match the model's 3 classes/ },
    { name: 'disposed inputs', options: () => { const x = data.x.clone(); x.dispose(); return { data: { x, y: data.y } }; }, message: /data\.x has been disposed/ },
    { name: 'a label outside the classes', options: () => ({ data: { x: data.x, y: data.labels.map((l, i) => (i === 5 ? 7 : l)) } }), message: /data\.y: label 7 of sample 5 is not an integer in \[0, 3\)/ },
  ];
  for (const c of cases) {
    it(`rejects the fit before any epoch: ${c.name}`, async () => {
      const model = (c.model ?? tinyModel)();
      const options = c.options();
      const before = tf.memory().numTensors;
      const { m } = monitor(options);
      let epochs = 0;
      const counter = new tfl.CustomCallback({ onEpochBegin: () => void epochs++ });
      const error = await fit(model, [m, counter], 2).then(() => null, (e: Error) => e);
      expect(error).to.be.instanceOf(MonitorSetupError);
      expect(error!.message).to.match(c.message);
      expect(epochs).to.equal(0);
      expect(tf.memory().numTensors).to.equal(before);
      if (options.data && options.data.x !== data.x) tf.dispose(options.data.x);
      if (options.data?.y instanceof tf.Tensor && options.data.y !== data.y) tf.dispose(options.data.y);
    });
  }
});

describe('sparsityGapMonitor when a probe fails', () => {
  // Callbacks around the monitor that make its target layer throw in inference mode while the
  // monitor runs, after epoch `from` and later: training and validation never see the fault.
  function failProbesAfter(model: tfl.LayersModel, from: number) {
    const layer = model.getLayer('c1');
    const apply = layer.apply.bind(layer);
    let failing = false;
    layer.apply = ((inputs, kwargs) => {
      if (failing) throw new Error('injected fault');
      return apply(inputs, kwargs);
    }) as typeof layer.apply;
    return {
      on: new tfl.CustomCallback({ onEpochEnd: (epoch) => { failing = epoch >= from; } }),
      off: new tfl.CustomCallback({ onEpochEnd: () => { failing = false; } }),
    };
  }

  it("reports it and trains on with onError: 'warn'", async () => {
    const model = tinyModel();
    const fault = failProbesAfter(model, 1);
    const { m, logger } = monitor({ everyEpochs: 1 });
    const history = await fit(model, [fault.on, m, fault.off], 4);
    expect(history.epoch).to.deep.equal([0, 1, 2, 3]);
    expect(m.history.map((r) => r.epoch)).to.deep.equal([0]);
    expect(m.failures.map((f) => f.epoch)).to.deep.equal([1, 2, 3]);
    const warnings = logger.lines.filter((l) => l.level === 'warn').map((l) => l.line);
    expect(warnings).to.have.length(3);
    expect(warnings[0]).to.match(/probe after epoch 2 failed: injected fault \(training goes on; onError: 'throw' stops it\)/);
  });

  it("stops training with a ProbeError with onError: 'throw', leaving no tensor behind", async () => {
    const model = tinyModel();
    await fit(model, [], 1);
    const before = tf.memory().numTensors;
    const fault = failProbesAfter(model, 1);
    const { m } = monitor({ everyEpochs: 1, onError: 'throw', gapModel: { a: 1, b: 0, c: 0 }, earlyStop: { maxPredictedGap: 5, restoreBestWeights: true } });
    let epochs = 0;
    const counter = new tfl.CustomCallback({ onEpochBegin: () => void epochs++ });
    const error = await fit(model, [counter, fault.on, m, fault.off], 4).then(() => null, (e: Error) => e);
    expect(error).to.be.instanceOf(ProbeError);
    expect(error!.message).to.match(/probe after epoch 2 failed: injected fault/);
    expect(epochs).to.equal(2);
    expect(tf.memory().numTensors).to.equal(before);
  });
});

describe('sparsityGapMonitor memory', () => {
  it('leaves no tensor behind after a fit (probes, validation, early stop with restored weights)', async () => {
    const model = tinyModel();
    await fit(model, [], 1); // creates the optimizer's state once
    const baseline = tf.memory().numTensors;
    await fit(model, [], 2, { validationData: [data.x, data.y] });
    expect(tf.memory().numTensors, 'fit alone').to.equal(baseline);
    const { m } = monitor({
      everyEpochs: 1, gapModel: { a: 1, b: 1, c: 0 },
      earlyStop: { maxPredictedGap: -1, patience: 3, restoreBestWeights: true },
    });
    await fit(model, [m], 5, { validationData: [data.x, data.y] });
    expect(m.history).to.have.length(3);
    expect(tf.memory().numTensors, 'fit with the monitor').to.equal(baseline);
  });
});
