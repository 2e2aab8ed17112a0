import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { expect } from 'chai';
import { SparsityGapMonitor, TENSORBOARD_TAGS as TAGS, type SparsityGapMonitorOptions } from '../../src/callbacks/index.js';
import { decodeSummaries, findEventFiles, readEventFile, type SummaryReading } from '../../src/tensorboard/index.js';
import { recordingLogger, tinyData, tinyModel, type TinyData } from './tiny.js';

const root = mkdtempSync(join(tmpdir(), 'sgm-tb-'));
let data: TinyData;
let heldOut: TinyData;
before(() => {
  data = tinyData(36);
  heldOut = tinyData(12, 1);
});
after(() => tf.dispose([data.x, data.y, heldOut.x, heldOut.y]));

function readRun(logdir: string): SummaryReading[] {
  const files = findEventFiles(logdir);
  expect(files, 'one event file per fit').to.have.length(1);
  return decodeSummaries(readEventFile(files[0]));
}
const byTag = (readings: SummaryReading[], tag: string) => readings.filter((r) => r.tag === tag);
const scalars = (readings: SummaryReading[], tag: string) =>
  byTag(readings, tag).map((r) => [r.step, (r as Extract<SummaryReading, { kind: 'scalars' }>).value]);

async function run(logdir: string, options: Partial<SparsityGapMonitorOptions>, fitArgs: Partial<tfl.ModelFitArgs>, epochs = 4) {
  const logger = recordingLogger();
  const m = new SparsityGapMonitor({ data: { x: data.x, y: data.y }, logdir, logger, everyEpochs: 2, ...options }, { env: {} });
  const history = await tinyModel().fit(data.x, data.y, { epochs, batchSize: 12, shuffle: false, verbose: 0, callbacks: [m], ...fitArgs });
  return { m, history, logger };
}

describe('sparsityGapMonitor TensorBoard events', () => {
  it('writes the sparsity tags, every epoch metric and the observed gap, read back from the file', async () => {
    const logdir = join(root, 'full');
    const gapModel = {
      a: 1, b: 0.5, c: -0.1, version: 1,
      fit: { n: 12, ssr: 0.01, rmse: 0.03, pearson: 0.9 },
      provenance: { points: 'trajectory', runs: 4 },
    };
    const { m, history } = await run(logdir, { gapModel }, { validationData: [heldOut.x, heldOut.y] });
    const readings = readRun(logdir);
    const close = (actual: number[][], expected: number[][]) => {
      expect(actual.map(([s]) => s)).to.deep.equal(expected.map(([s]) => s));
      actual.forEach(([, v], i) => expect(v).to.be.closeTo(expected[i][1], 1e-6)); // float32 on disk
    };
    const probeSteps = m.history.map((r) => r.epoch + 1);
    expect(probeSteps).to.deep.equal([2, 4]);
    close(scalars(readings, TAGS.zeta), m.history.map((r) => [r.epoch + 1, r.zeta]));
    close(scalars(readings, TAGS.kappa), m.history.map((r) => [r.epoch + 1, r.kappa]));
    close(scalars(readings, TAGS.predictedGap), m.history.map((r) => [r.epoch + 1, r.zeta + 0.5 * r.kappa - 0.1]));
    for (const key of ['loss', 'acc', 'val_loss', 'val_acc']) {
      close(scalars(readings, `epoch_${key}`), (history.history[key] as number[]).map((v, i) => [i + 1, v]));
    }
    const acc = history.history.acc as number[];
    const valAcc = history.history.val_acc as number[];
    close(scalars(readings, TAGS.observedGap), acc.map((a, i) => [i + 1, a - valAcc[i]]));
    expect(byTag(readings, 'epoch_sparsity_zeta'), 'the monitor\'s own keys are not repeated').to.have.length(0);

    for (const tag of [TAGS.zetaPerClass, TAGS.kappaPerClass]) {
      const hists = byTag(readings, tag) as Extract<SummaryReading, { kind: 'histograms' }>[];
      expect(hists.map((h) => h.step)).to.deep.equal(probeSteps);
      hists.forEach((h, i) => {
        const counted = h.buckets.reduce((n, [, , count]) => n + count, 0);
        expect(counted).to.equal(m.history[i].perClass.length);
      });
    }
    const images = byTag(readings, TAGS.curves) as Extract<SummaryReading, { kind: 'images' }>[];
    expect(images.map((r) => r.step)).to.deep.equal(probeSteps);
    for (const image of images) {
      expect(Array.from(image.png.subarray(0, 8))).to.deep.equal([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      const view = new DataView(image.png.buffer, image.png.byteOffset);
      expect([view.getUint32(16), view.getUint32(20)]).to.deep.equal([image.width, image.height]);
    }
    const config = byTag(readings, TAGS.config) as Extract<SummaryReading, { kind: 'text' }>[];
    expect(config, 'config text once').to.have.length(1);
    expect(config[0].text).to.match(/\| everyEpochs \| 2 \|/);
    expect(config[0].text).to.match(/\| layer \| c1 \(last convolution\) \|/);
    expect(config[0].text).to.match(/ĝ = 1\.0000·ζ \+ 0\.5000·κ − 0\.1000, trajectory-fit/);
  });

  it('says when a final-fit gap model is loaded, and writes no observed gap without validation', async () => {
    const logdir = join(root, 'final');
    const gapModel = { a: 1, b: 0, c: 0, version: 1, fit: { n: 6, ssr: 0, rmse: 0, pearson: 1 }, provenance: { points: 'final', runs: 6 } };
    await run(logdir, { gapModel }, {}, 2);
    const readings = readRun(logdir);
    expect((byTag(readings, TAGS.config)[0] as { text: string }).text).to.match(/final-fit .*end-of-training gap/);
    expect(byTag(readings, TAGS.observedGap)).to.have.length(0);
    expect(byTag(readings, 'epoch_loss')).to.have.length(2);
  });

  it('writes the early-stop reason as text', async () => {
    const logdir = join(root, 'stop');
    const { m } = await run(logdir, { gapModel: { a: 0, b: 0, c: 0.4 }, earlyStop: { maxPredictedGap: 0.1 } }, {}, 6);
    const texts = byTag(readRun(logdir), TAGS.earlyStop) as Extract<SummaryReading, { kind: 'text' }>[];
    expect(texts.map((t) => [t.step, t.text])).to.deep.equal([[2, m.stopReason]]);
  });

  it('creates no file before the first epoch ends', async () => {
    const logdir = join(root, 'lazy');
    const { m } = await run(logdir, {}, {}, 0);
    expect(m.history).to.have.length(0);
    expect(existsSync(logdir)).to.equal(false);
  });

  it('warns once and trains on when the logdir cannot be written', async () => {
    const logdir = join(root, 'a-file');
    writeFileSync(logdir, 'not a directory');
    const { m, history, logger } = await run(logdir, {}, {}, 4);
    expect(history.epoch).to.have.length(4);
    expect(m.history).to.have.length(2);
    const warnings = logger.lines.filter((l) => l.level === 'warn').map((l) => l.line);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(/writing TensorBoard events to .*a-file failed, no more events this fit/);
  });

  it('warns once when the gap model was fit for another setup', async () => {
    const gapModel = {
      a: 1, b: 0, c: 0, version: 1, fit: { n: 6, ssr: 0, rmse: 0, pearson: 1 },
      provenance: { points: 'final', runs: 6, fingerprint: { layer: 'c1', units: 64, numClasses: 3, inputShape: [8, 8, 1], optimizer: 'sgd' } },
    };
    const logger = recordingLogger();
    const m = new SparsityGapMonitor({ data: { x: data.x, y: data.y }, gapModel, logger }, { env: {} });
    const model = tinyModel();
    await model.fit(data.x, data.y, { epochs: 1, verbose: 0, callbacks: [m] });
    await model.fit(data.x, data.y, { epochs: 1, verbose: 0, callbacks: [m] });
    const warnings = logger.lines.filter((l) => l.level === 'warn').map((l) => l.line);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(/fit for a different setup \(units: model 64, actual 4\)/);
  });
});
