import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'chai';
import {
  MonitorOptionError, SparsityGapMonitor, resolveMonitorConfig, sparsityGapMonitor, type SparsityGapMonitorOptions,
} from '../../src/callbacks/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sgm-config-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('monitor config', () => {
  it('config/default.json holds the documented defaults', () => {
    const shipped = JSON.parse(readFileSync(new URL('../../config/default.json', import.meta.url), 'utf8')).monitor;
    expect(shipped).to.deep.equal({
      layer: null, everyEpochs: 5, classesPerProbe: null, samplesPerClass: 64, chance: null, score: 'mean',
      normalizeKappa: false, seed: 0, strategy: 'auto', logdir: null, gapModel: null,
      earlyStop: { maxPredictedGap: null, patience: 1, startFromEpoch: 0, restoreBestWeights: false },
      probeOnTrainEnd: true, onError: 'warn', verbose: 0,
    });
    expect(resolveMonitorConfig({}, { env: {} })).to.deep.equal(shipped);
  });

  it('layers defaults < config file < environment < explicit options', () => {
    const configFile = file('layers.json', JSON.stringify({
      monitor: { everyEpochs: 7, samplesPerClass: 10, score: 'l1', earlyStop: { patience: 3 } },
    }));
    const env = {
      SGM_MONITOR_EVERY_EPOCHS: '3', SGM_MONITOR_EARLY_STOP_RESTORE_BEST_WEIGHTS: 'true', SGM_MONITOR_CHANCE: '0.2',
      SGM_MONITOR_LOGDIR: 'runs/env', SGM_MONITOR_VERBOSE: '1',
    };
    const config = resolveMonitorConfig({ samplesPerClass: 32, earlyStop: { startFromEpoch: 4 } }, { env, configFile });
    expect(config.everyEpochs).to.equal(3); // env over file
    expect(config.samplesPerClass).to.equal(32); // explicit over file
    expect(config.score).to.equal('l1'); // file over default
    expect(config.chance).to.equal(0.2);
    expect(config.logdir).to.equal('runs/env');
    expect(config.verbose).to.equal(1);
    expect(config.earlyStop).to.deep.equal({ maxPredictedGap: null, patience: 3, startFromEpoch: 4, restoreBestWeights: true });
    expect(resolveMonitorConfig({ everyEpochs: 2 }, { env, configFile }).everyEpochs).to.equal(2); // explicit over env
  });

  it('reads the config file named by SGM_MONITOR_CONFIG', () => {
    const configFile = file('from-env.json', JSON.stringify({ monitor: { everyEpochs: 9 } }));
    expect(resolveMonitorConfig({}, { env: { SGM_MONITOR_CONFIG: configFile } }).everyEpochs).to.equal(9);
  });

  const invalid: [string, Record<string, unknown>, RegExp][] = [
    ['everyEpochs 0', { everyEpochs: 0 }, /everyEpochs: must be an integer >= 1: value was 0/],
    ['everyEpochs 2.5', { everyEpochs: 2.5 }, /everyEpochs: must be an integer >= 1: value was 2\.5/],
    ['samplesPerClass -1', { samplesPerClass: -1 }, /samplesPerClass: must be an integer >= 1: value was -1/],
    ['classesPerProbe 0', { classesPerProbe: 0 }, /classesPerProbe: must be an integer >= 1: value was 0/],
    ['chance 1', { chance: 1 }, /chance: must be a number in \(0, 1\): value was 1/],
    ['score median', { score: 'median' }, /score: must be one of the possible values: \["mean","l1"\]: value was "median"/],
    ['strategy fast', { strategy: 'fast' }, /strategy: must be one of the possible values: .*"prefix".*: value was "fast"/],
    ['onError ignore', { onError: 'ignore' }, /onError: .*\["warn","throw"\]: value was "ignore"/],
    ['verbose 2', { verbose: 2 }, /verbose: must be 0 or 1: value was 2/],
    ['normalizeKappa "yes"', { normalizeKappa: 'yes' }, /normalizeKappa: must be true or false: value was "yes"/],
    ['layer empty', { layer: '' }, /layer: must be a non-empty string: value was ""/],
    ['earlyStop.patience 0', { earlyStop: { patience: 0 } }, /earlyStop\.patience: must be an integer >= 1: value was 0/],
    ['earlyStop.maxPredictedGap NaN', { earlyStop: { maxPredictedGap: Number.NaN } }, /earlyStop\.maxPredictedGap: must be a finite number/],
    ['earlyStop.startFromEpoch -1', { earlyStop: { startFromEpoch: -1 } }, /earlyStop\.startFromEpoch: must be an integer >= 0: value was -1/],
    ['a misspelt option', { everyEpoch: 3 }, /everyEpoch' not declared/],
  ];
  for (const [name, options, message] of invalid) {
    it(`names the bad option: ${name}`, () => {
      expect(() => resolveMonitorConfig(options, { env: {} })).to.throw(MonitorOptionError, message);
    });
  }

  it('names a bad environment value and its option', () => {
    expect(() => resolveMonitorConfig({}, { env: { SGM_MONITOR_EVERY_EPOCHS: 'often' } }))
      .to.throw(MonitorOptionError, /everyEpochs: must be an integer >= 1/);
  });

  it('names a config file that is missing, not JSON, or has no monitor section', () => {
    expect(() => resolveMonitorConfig({}, { env: {}, configFile: join(dir, 'nope.json') }))
      .to.throw(MonitorOptionError, /nope\.json cannot be read/);
    expect(() => resolveMonitorConfig({}, { env: {}, configFile: file('bad.json', '{ monitor: ') }))
      .to.throw(MonitorOptionError, /bad\.json is not valid JSON/);
    expect(() => resolveMonitorConfig({}, { env: {}, configFile: file('other.json', '{ "sweep": {} }') }))
      .to.throw(MonitorOptionError, /other\.json has no "monitor" section/);
  });
});

describe('sparsityGapMonitor options', () => {
  let x: tf.Tensor;
  let y: tf.Tensor;
  let y3: tf.Tensor;
  before(() => {
    x = tf.zeros([4, 8, 8, 1]);
    y = tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), 3);
    y3 = tf.zeros([4, 3, 1]);
  });
  after(() => tf.dispose([x, y, y3]));
  const make = (options: Partial<SparsityGapMonitorOptions>) =>
    new SparsityGapMonitor({ data: { x, y }, ...options } as SparsityGapMonitorOptions, { env: {} });

  it('explicit options reach the resolved config; a boolean verbose is accepted', () => {
    const monitor = make({ everyEpochs: 2, verbose: true, earlyStop: { maxPredictedGap: 0.1, patience: 2 }, gapModel: { a: 1, b: 0, c: 0 } });
    expect(monitor.config.everyEpochs).to.equal(2);
    expect(monitor.config.verbose).to.equal(1);
    expect(monitor.config.earlyStop).to.include({ maxPredictedGap: 0.1, patience: 2 });
    expect(monitor.gapModel).to.include({ a: 1, b: 0, c: 0 });
  });

  // Functions, so that the tensors exist when a case runs.
  it('the factory reads SGM_MONITOR_* from the process environment, under explicit options', () => {
    process.env.SGM_MONITOR_EVERY_EPOCHS = '4';
    process.env.SGM_MONITOR_SAMPLES_PER_CLASS = '16';
    try {
      const monitor = sparsityGapMonitor({ data: { x, y }, samplesPerClass: 8 });
      expect(monitor.config.everyEpochs).to.equal(4);
      expect(monitor.config.samplesPerClass).to.equal(8);
    } finally {
      delete process.env.SGM_MONITOR_EVERY_EPOCHS;
      delete process.env.SGM_MONITOR_SAMPLES_PER_CLASS;
    }
  });

  const bad: [string, () => Partial<SparsityGapMonitorOptions> | Record<string, unknown>, RegExp][] = [
    ['no data', () => ({ data: undefined }), /option `data` is required/],
    ['data.x not a tensor', () => ({ data: { x: [[1]], y } }), /data\.x must be a tf\.Tensor/],
    ['data.y missing', () => ({ data: { x } }), /data\.y must be one-hot targets .* got undefined/],
    ['data.y rank 3', () => ({ data: { x, y: y3 } }), /data\.y must be one-hot \[N, K\] or class indices \[N\], got shape \[4,3,1\]/],
    ['x and y of different lengths', () => ({ data: { x, y: [0, 1, 2] } }), /data\.x has 4 samples but data\.y has 3/],
    ['early stop without a gap model', () => ({ earlyStop: { maxPredictedGap: 0.2 } }), /earlyStop\.maxPredictedGap \(0\.2\) needs a gap model/],
    ['a gap model file that does not exist', () => ({ gapModel: join(dir, 'missing-gap.json') }), /gapModel: gap model .*missing-gap\.json: cannot be read \(ENOENT\)/],
    ['a gap model file without coefficients', () => ({ gapModel: file('gap.json', '{"a": 1, "b": 2}') }), /gapModel: gap model .*gap\.json: c must be a finite number/],
    ['a gap model object with a bad coefficient', () => ({ gapModel: { a: 1, b: 'x', c: 0 } as never }), /gapModel: gap model object: b must be a finite number, got "x"/],
    ['gapModel a number', () => ({ gapModel: 0.3 as never }), /gapModel must be a path or a gap model object, got number 0\.3/],
    ['earlyStop not an object', () => ({ earlyStop: 0.2 as never }), /earlyStop must be an object like \{ maxPredictedGap: 0\.2 \}, got number 0\.2/],
  ];
  for (const [name, options, message] of bad) {
    it(`rejects at construction: ${name}`, () => {
      expect(() => make(options() as Partial<SparsityGapMonitorOptions>)).to.throw(MonitorOptionError, message);
    });
  }
});
