// The monitor's event files as Python's TensorBoard reads them (its plugin event accumulator).
// Skipped without SGM_PYTHON (a Python with tensorboard), unless SGM_REQUIRE_TENSORBOARD=1 as in CI.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'chai';
import { SparsityGapMonitor, TENSORBOARD_TAGS as TAGS } from '../../src/callbacks/index.js';
import { ENABLE_HINT, pythonFloat, tbRead, tensorboardUnavailable } from '../tensorboard/python-tensorboard.js';
import { recordingLogger, tinyData, tinyModel } from './tiny.js';

type Events = Record<string, Record<string, { plugin: string; events: { step: number; value: unknown }[] }>>;

describe('sparsityGapMonitor events in the real TensorBoard', function () {
  this.timeout(120_000);
  const python = process.env.SGM_PYTHON;

  before(async function () {
    const missing = await tensorboardUnavailable(python);
    if (!missing) return;
    if (process.env.SGM_REQUIRE_TENSORBOARD === '1') throw new Error(`${missing}; SGM_REQUIRE_TENSORBOARD=1 forbids skipping`);
    console.log(`    skipped: ${missing}. To enable: ${ENABLE_HINT}`);
    this.skip();
  });

  it('shows every tag of a fit, with the values and steps the monitor recorded', async () => {
    const logdir = mkdtempSync(join(tmpdir(), 'sgm-tb-python-'));
    const data = tinyData(36);
    const heldOut = tinyData(12, 1);
    const monitor = new SparsityGapMonitor({
      data: { x: data.x, y: data.y }, logdir: join(logdir, 'tiny'), everyEpochs: 2, logger: recordingLogger(),
      gapModel: { a: 0, b: 0, c: 0.4 }, earlyStop: { maxPredictedGap: 0.3, patience: 2 },
    }, { env: {} });
    const history = await tinyModel().fit(data.x, data.y, {
      epochs: 6, batchSize: 12, shuffle: false, verbose: 0, callbacks: [monitor], validationData: [heldOut.x, heldOut.y],
    });
    tf.dispose([data.x, data.y, heldOut.x, heldOut.y]);

    const { result } = await tbRead<Events>(python!, 'runs', [logdir]);
    const run = result.tiny;
    const plugins = Object.fromEntries(Object.entries(run).map(([tag, t]) => [tag, t.plugin]));
    expect(plugins).to.deep.equal({
      [TAGS.config]: 'text', [TAGS.earlyStop]: 'text',
      [TAGS.zeta]: 'scalars', [TAGS.kappa]: 'scalars', [TAGS.predictedGap]: 'scalars', [TAGS.observedGap]: 'scalars',
      [TAGS.zetaPerClass]: 'histograms', [TAGS.kappaPerClass]: 'histograms', [TAGS.curves]: 'images',
      epoch_loss: 'scalars', epoch_acc: 'scalars', epoch_val_loss: 'scalars', epoch_val_acc: 'scalars',
    });
    const scalars = (tag: string) => run[tag].events.map((e) => [e.step, pythonFloat(e.value as string)]);
    const close = (actual: number[][], expected: number[][]) => {
      expect(actual.map(([s]) => s)).to.deep.equal(expected.map(([s]) => s));
      actual.forEach(([, v], i) => expect(v).to.be.closeTo(expected[i][1], 1e-6));
    };
    close(scalars(TAGS.zeta), monitor.history.map((r) => [r.epoch + 1, r.zeta]));
    close(scalars(TAGS.kappa), monitor.history.map((r) => [r.epoch + 1, r.kappa]));
    close(scalars(TAGS.predictedGap), [[2, 0.4], [4, 0.4]]);
    const acc = history.history.acc as number[];
    const valAcc = history.history.val_acc as number[];
    close(scalars(TAGS.observedGap), acc.map((a, i) => [i + 1, a - valAcc[i]]));
    close(scalars('epoch_loss'), (history.history.loss as number[]).map((v, i) => [i + 1, v]));
    expect(run[TAGS.curves].events.map((e) => e.step)).to.deep.equal([2, 4]);
    expect(run[TAGS.zetaPerClass].events.map((e) => e.step)).to.deep.equal([2, 4]);
    expect(run[TAGS.earlyStop].events.map((e) => [e.step, (e.value as string[])[0]])).to.deep.equal([[4, monitor.stopReason]]);
  });
});
