import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { register, runFit } from '../../src/cli/fit.js';
import { loadGapModel } from '../../src/regression/index.js';
import { createRng } from '../../src/util/random.js';

// Final points lie exactly on this plane; every mid-training probe sits 0.05 below it.
const truth = { a: 0.9, b: -0.6, c: 0.1 };
const plane = (zeta: number, kappa: number) => truth.a * zeta + truth.b * kappa + truth.c;

/** Sweep-style records: trajectory of 3 mid-training probes, then the final state again as its last point. */
function syntheticRuns(n: number, optimizer = 'sgd') {
  const rng = createRng(`${optimizer}:${n}`);
  return Array.from({ length: n }, (_, i) => {
    const corruption = [0, 0.2, 0.4, 0.6, 0.8, 1][i % 6];
    const zeta = 0.4 + 0.5 * corruption + 0.1 * rng.next();
    const kappa = 0.5 - 0.3 * corruption + 0.1 * rng.next();
    const gap = plane(zeta, kappa);
    const mid = [2, 4, 6].map((epoch) => {
      const z = zeta * (0.6 + 0.05 * epoch) + 0.02 * rng.next();
      const k = kappa * (1.2 - 0.03 * epoch) + 0.02 * rng.next();
      return { epoch, trainAccuracy: 0.9, testAccuracy: 0.8, gap: plane(z, k) - 0.05, zeta: z, kappa: k };
    });
    const curve = [1, 0.7, 0.3, 0.05, 0, 0, 0, 0, 0];
    const reverseCurve = [1, 1, 1, 1, 0.95, 0.8, 0.5, 0.2, 0];
    return {
      id: `${optimizer}-${i}`, dataset: 'mnist', architecture: 'cnn3', layer: 'conv3', units: 8, numClasses: 10, inputShape: [28, 28, 1],
      config: { corruption, optimizer, seed: i }, settings: { samplesPerClass: 20, probeEvery: 2 },
      trainAccuracy: 1, testAccuracy: 1 - gap, gap, zeta, kappa,
      perClass: [0, 1].map((classIndex) => ({ classIndex, n0: 3, n0r: 4, curve, reverseCurve, zeta, kappa })),
      trajectory: [...mid, { epoch: 8, trainAccuracy: 1, testAccuracy: 1 - gap, gap, zeta, kappa }],
    };
  });
}

const jsonl = (records: object[]) => records.map((r) => `${JSON.stringify(r)}\n`).join('');

describe('cli: sparsity-gap fit', () => {
  let dir: string;
  let runsFile: string;
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sgm-fit-'));
    runsFile = join(dir, 'runs.jsonl');
    writeFileSync(runsFile, jsonl(syntheticRuns(20)));
    lines.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('fits final points, validates by run, compares mid-training error, writes the model and plots', async () => {
    const out = join(dir, 'models', 'synthetic.json');
    const { model, validation, midTraining, files } = await runFit({ runs: runsFile, out, repeats: 30, log });
    expect(model.a).to.be.closeTo(truth.a, 1e-9);
    expect(model.b).to.be.closeTo(truth.b, 1e-9);
    expect(model.c).to.be.closeTo(truth.c, 1e-9);
    expect(model.fit.n).to.equal(20);
    expect(validation.testRuns).to.equal(2);
    expect(validation.ssr.max).to.be.below(1e-15);
    // The final-points model is the plane, 0.05 off every mid-training probe (the last trajectory
    // point is the end of training, not a mid-training one); the trajectory model sits nearer.
    expect(midTraining!.points).to.equal(30 * 2 * 3);
    expect(midTraining!.finalModel.pooledRmse).to.be.closeTo(0.05, 1e-9);
    expect(midTraining!.trajectoryModel.pooledRmse).to.be.below(0.05);

    const saved = loadGapModel(out);
    expect(saved.a).to.equal(model.a);
    expect(saved.provenance).to.deep.include({ points: 'final', runs: 20, dataset: 'mnist' });
    expect(saved.provenance!.fingerprint).to.deep.equal({
      architecture: 'cnn3', layer: 'conv3', units: 8, numClasses: 10, inputShape: [28, 28, 1], optimizer: 'sgd',
    });
    expect(saved.provenance!.probe).to.deep.equal({ samplesPerClass: 20, probeEvery: 2, classesPerProbe: 10 });
    expect((saved.provenance!.source as { sha256: string }).sha256)
      .to.equal(createHash('sha256').update(readFileSync(runsFile)).digest('hex'));
    expect(saved.provenance!.validation).to.deep.include({ repeats: 30, splitBy: 'run', testRuns: 2 });

    const printed = lines.join('\n');
    expect(printed).to.match(/20 runs, final points, n = 20/);
    expect(printed).to.match(/gap = 0\.9000·ζ − 0\.6000·κ \+ 0\.1000/);
    expect(printed).to.match(/Pearson r 1\.000, SSR 0\.0000/);
    expect(printed).to.match(/30 splits by run \(2 runs each\): SSR max 0\.0000, median 0\.0000/);
    expect(printed).to.match(/final-points model 0\.0500/);

    const figures = ['zeta-kappa', 'sparsity-gap', 'predicted', 'split-ssr', 'curves'];
    expect(files.sort()).to.deep.equal(figures.flatMap((f) => ['png', 'svg'].map((e) => join(dir, 'models', `synthetic.${f}.${e}`))).sort());
    for (const f of files.filter((p) => p.endsWith('.png'))) expect(readFileSync(f).subarray(1, 4).toString()).to.equal('PNG');
    expect(readFileSync(join(dir, 'models', 'synthetic.curves.svg'), 'utf8')).to.contain('gap 0.');
  });

  it('fits trajectory points, holding out whole runs', async () => {
    const { model, validation } = await runFit({ runs: runsFile, out: join(dir, 't.json'), points: 'trajectory', repeats: 10, plots: false, log });
    expect(model.fit.n).to.equal(20 * 4);
    expect(model.provenance.points).to.equal('trajectory');
    expect(model.provenance.runs).to.equal(20);
    for (const s of validation.splits) expect(s.nTest).to.equal(2 * 4);
  });

  it('refuses mixed optimizers unless one is picked', async () => {
    appendFileSync(runsFile, jsonl(syntheticRuns(6, 'adam')));
    const out = join(dir, 'm.json');
    await runFit({ runs: runsFile, out, plots: false, log }).then(() => expect.fail('mixed optimizers were fit'), (error: Error) => {
      expect(error.message).to.match(/several optimizers \("sgd": 20, "adam": 6\); pick one with --optimizer/);
    });
    const { model } = await runFit({ runs: runsFile, out, plots: false, optimizer: 'adam', repeats: 5, log });
    expect(model.provenance.runs).to.equal(6);
    expect(model.provenance.fingerprint!.optimizer).to.equal('adam');
  });

  it('skips an unfinished last line and names a bad one', async () => {
    appendFileSync(runsFile, '{"zeta": 0.5, "kap');
    const { model } = await runFit({ runs: runsFile, out: join(dir, 'x.json'), plots: false, repeats: 5, log });
    expect(model.fit.n).to.equal(20);
    expect(lines[0]).to.match(/skipped an unfinished last line/);
    writeFileSync(runsFile, `${jsonl(syntheticRuns(3))}{"zeta": 0.5, "kappa": "x", "gap": 0.1}\n`);
    await runFit({ runs: runsFile, out: join(dir, 'x.json'), plots: false, log }).then(() => expect.fail('bad line read'), (error: Error) => {
      expect(error.message).to.equal(`${runsFile}:4: kappa must be a finite number, got "x"`);
    });
  });

  it('runs as a commander subcommand and names bad flags', async () => {
    const program = new Command('sparsity-gap').exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
    register(program);
    const out = join(dir, 'cli.json');
    const original = console.log;
    console.log = () => {};
    try {
      await program.parseAsync(['fit', runsFile, '--out', out, '--no-plots', '--repeats', '5'], { from: 'user' });
    } finally {
      console.log = original;
    }
    expect(existsSync(out)).to.equal(true);
    expect(existsSync(join(dir, 'cli.predicted.png'))).to.equal(false);
    await program.parseAsync(['fit', runsFile, '--out', out, '--points', 'all'], { from: 'user' })
      .then(() => expect.fail('bad --points accepted'), (error: Error) => expect(error.message).to.match(/'all' is invalid.*final, trajectory/));
    await program.parseAsync(['fit', runsFile, '--out', out, '--repeats', '0'], { from: 'user' })
      .then(() => expect.fail('bad --repeats accepted'), (error: Error) => expect(error.message).to.match(/--repeats must be an integer in \[1, 1000000\], got '0'/));
  });
});
