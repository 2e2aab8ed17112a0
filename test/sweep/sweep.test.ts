// The tiny grid end to end in this process: the line format, the labels the probe sees, resume,
// torn lines, and the refusal to mix settings in one file.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corruptLabels, loadMnist, disposeDataset } from '../../src/data/index.js';
import { GRID_PRESETS, runId, runSweep, type RunRecord } from '../../src/sweep/index.js';

const tiny = GRID_PRESETS.tiny;
// Probe every training sample (class sizes are below 50), so the probe's E(0) can be checked
// against the run's training accuracy.
const settings = { samplesPerClass: 50 };
const lines = (path: string) => readFileSync(path, 'utf8').split('\n').slice(0, -1).map((l) => JSON.parse(l) as RunRecord);
const withoutTime = ({ wallSeconds: _w, ...rest }: RunRecord) => rest;
/** Reruns on the same backend train identically where its kernels are deterministic. */
const deterministic = tf.getBackend() !== 'tensorflow';

describe('sweep, tiny grid in this process', function () {
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'sgm-sweep-'));
  const out = join(dir, 'tiny.jsonl');
  let records: RunRecord[];

  before(async () => {
    const before = tf.memory().numTensors;
    const summary = await runSweep({ dataset: 'mnist', out, grid: 'tiny', settings, isolate: false });
    expect(tf.memory().numTensors, 'tensors left behind').to.equal(before);
    expect(summary.failed).to.deep.equal([]);
    records = lines(out);
  });

  it('writes one complete JSON line per run with the documented fields', () => {
    const text = readFileSync(out, 'utf8');
    expect(text.endsWith('\n')).to.equal(true);
    expect(records.map((r) => r.id)).to.have.members(tiny.runs.map(runId));
    for (const r of records) {
      expect(r).to.include.keys('id', 'dataset', 'architecture', 'config', 'trainAccuracy', 'testAccuracy', 'gap',
        'zeta', 'kappa', 'perClass', 'trajectory', 'wallSeconds');
      expect(r.config).to.have.keys('corruption', 'optimizer', 'learningRate', 'momentum', 'dropout', 'l2', 'batchNorm',
        'batchSize', 'augment', 'epochs', 'seed');
      expect(r).to.deep.include({ dataset: 'mnist', architecture: 'cnn3', layer: 'conv3', units: 64, numClasses: 10 });
      expect(r.settings).to.deep.equal({ ...tiny.settings, ...settings });
      expect(r.trajectory.map((p) => p.epoch)).to.deep.equal(Array.from({ length: r.epochsTrained }, (_, i) => i + 1));
      const last = r.trajectory.at(-1)!;
      expect(last).to.deep.equal({ epoch: r.epochsTrained, trainAccuracy: r.trainAccuracy, testAccuracy: r.testAccuracy, gap: r.gap, zeta: r.zeta, kappa: r.kappa });
      for (const p of r.trajectory) {
        expect(p.gap).to.be.closeTo(p.trainAccuracy - p.testAccuracy, 1e-12);
        expect(p.zeta).to.be.within(0, 1);
        expect(p.kappa).to.be.within(0, 1);
      }
      expect(r.perClass.length + r.skipped.length).to.equal(10);
      for (const c of r.perClass) expect(c.curve).to.have.length(65);
    }
  });

  it('probes the labels as trained: corrupted class sizes, and E(0) agreeing with the training accuracy', () => {
    const data = loadMnist({ seed: tiny.settings.dataSeed, trainSize: tiny.settings.trainSize, testSize: tiny.settings.testSize });
    disposeDataset(data);
    for (const r of records) {
      const labels = corruptLabels(data.train.labels, r.config.corruption, 10, r.config.seed);
      const sizes = Array.from({ length: 10 }, (_, j) => labels.filter((l) => l === j).length);
      expect(r.perClass.map((c) => [c.classIndex, c.samples]), r.id).to.deep.equal(
        sizes.flatMap((n, j) => (n > 0 ? [[j, n]] : [])));
      const correct = r.perClass.reduce((sum, c) => sum + c.trainAccuracy * c.samples, 0);
      expect(correct / labels.length, r.id).to.be.closeTo(r.trainAccuracy, 1e-9);
    }
    const clean = Array.from({ length: 10 }, (_, j) => data.train.labels.filter((l) => l === j).length);
    const fullyCorrupt = records.find((r) => r.config.corruption === 1)!;
    expect(fullyCorrupt.perClass.map((c) => c.samples)).to.not.deep.equal(clean.filter((n) => n > 0));
  });

  it('resumes: runs already in the file are skipped, the missing ones trained again alike', async () => {
    const resumed = join(dir, 'resumed.jsonl');
    writeFileSync(resumed, `${JSON.stringify(records[0])}\n`);
    const summary = await runSweep({ dataset: 'mnist', out: resumed, grid: 'tiny', settings, isolate: false });
    expect(summary).to.deep.include({ planned: 3, alreadyDone: 1, interrupted: false, droppedTornBytes: 0 });
    expect(summary.completed.map((r) => r.id)).to.have.members(records.slice(1).map((r) => r.id));
    const again = lines(resumed);
    expect(again.map((r) => r.id)).to.have.members(records.map((r) => r.id));
    if (deterministic) {
      const byId = new Map(records.map((r) => [r.id, withoutTime(r)]));
      for (const r of again) expect(withoutTime(r), r.id).to.deep.equal(byId.get(r.id));
    }
    const nothing = await runSweep({ dataset: 'mnist', out: resumed, grid: 'tiny', settings, isolate: false });
    expect(nothing).to.deep.include({ planned: 3, alreadyDone: 3 });
    expect(nothing.completed).to.deep.equal([]);
  });

  it('drops a torn last line and completes the file with whole lines', async () => {
    const torn = join(dir, 'torn.jsonl');
    copyFileSync(out, torn);
    const text = readFileSync(out, 'utf8');
    const cut = text.lastIndexOf('\n', text.length - 2) + 1;
    writeFileSync(torn, text.slice(0, cut + 100));
    const summary = await runSweep({ dataset: 'mnist', out: torn, grid: 'tiny', settings, isolate: false, shard: '1/1' });
    expect(summary).to.deep.include({ alreadyDone: 2, droppedTornBytes: 100 });
    expect(readFileSync(torn, 'utf8').endsWith('\n')).to.equal(true);
    expect(lines(torn).map((r) => r.id)).to.have.members(records.map((r) => r.id));
  });

  it('refuses to add runs made with other settings to the file, naming the difference', async () => {
    let error: Error | undefined;
    await runSweep({ dataset: 'mnist', out, grid: 'tiny', settings: { trainSize: 50 }, isolate: false }).catch((e: Error) => { error = e; });
    expect(error?.message).to.match(/holds run .* made with settings .*"trainSize":60.*"trainSize":50.*write to another --out/);
  });

  it('reports a failing run and goes on, writing nothing for it', async () => {
    const failing = join(dir, 'failing.jsonl');
    process.env.SGM_FIXTURE_FAILURE = 'throw';
    const summary = await runSweep({
      dataset: 'mnist', out: failing, grid: 'tiny', isolate: false,
      architecture: 'test/sweep/fixtures/failing-architecture.ts',
    }).finally(() => delete process.env.SGM_FIXTURE_FAILURE);
    expect(summary.failed.map((f) => f.id)).to.have.members(tiny.runs.map(runId));
    for (const f of summary.failed) expect(f.message).to.equal('fixture build failed');
    expect(existsSync(failing)).to.equal(false);
  });

  it('names a bad option before training anything', async () => {
    const cases: [object, string][] = [
      [{ grid: 'huge' }, "grid must be one of mnist-cnn3, mnist-cnn3-adam, paper, tiny, got 'huge'"],
      [{ concurrency: 0 }, 'concurrency must be a positive integer, got 0'],
      [{ concurrency: 2, isolate: false }, 'concurrency 2 needs worker processes'],
      [{ shard: '3/2' }, "shard must be i/n with 1 <= i <= n, e.g. 2/4, got '3/2'"],
      [{ maxEpochs: 0 }, 'maxEpochs must be a positive integer, got 0'],
      [{ settings: { probeEvery: 0 } }, 'probeEvery must be a positive integer, got 0'],
      [{ architecture: 'vgg99' }, "architecture must be one of cnn3 or the path of a module, got 'vgg99'"],
    ];
    for (const [extra, message] of cases) {
      const bad = join(dir, 'never.jsonl');
      let error: Error | undefined;
      await runSweep({ dataset: 'mnist', out: bad, grid: 'tiny', isolate: false, ...extra }).catch((e: Error) => { error = e; });
      expect(error?.message, JSON.stringify(extra)).to.contain(message);
      expect(existsSync(bad)).to.equal(false);
    }
  });
});
