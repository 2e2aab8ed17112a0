// The shipped reproduction is consistent: the committed gap model is what the fit CLI makes from the
// committed reference runs, to the last digit of its coefficients.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFit } from '../../src/cli/fit.js';
import { loadGapModel } from '../../src/regression/index.js';
import { readRecords } from '../../src/sweep/index.js';

const RUNS = 'data/reference-runs/mnist-cnn3.jsonl';
const MODEL = 'config/gap-models/mnist-cnn3.json';

describe('shipped MNIST gap model', () => {
  const shipped = loadGapModel(MODEL);
  const { provenance, fit } = shipped;
  if (!provenance || !fit) throw new Error(`${MODEL} has no provenance or fit figures`);

  it('was fit on the committed runs file, all of it', () => {
    expect(provenance.source?.sha256).to.equal(createHash('sha256').update(readFileSync(RUNS)).digest('hex'));
    expect(provenance.runs).to.equal(readRecords(RUNS).records.length);
    expect(provenance.fingerprint).to.deep.include({ architecture: 'cnn3', layer: 'conv3', units: 64, optimizer: 'sgd' });
  });

  it('refits from the committed runs to the same coefficients and figures', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'sgm-refit-')), 'refit.json');
    const { model } = await runFit({ runs: RUNS, out, points: provenance.points, plots: false, log: () => {} });
    for (const k of ['a', 'b', 'c'] as const) expect(model[k], k).to.be.closeTo(shipped[k], 1e-12);
    expect(model.fit.n).to.equal(fit.n);
    expect(model.fit.pearson).to.be.closeTo(fit.pearson, 1e-12);
    expect(model.fit.ssr).to.be.closeTo(fit.ssr, 1e-12);
  });
});
