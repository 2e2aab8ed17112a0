import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  describeMismatch, fingerprintMismatch, fitGapModel, loadGapModel, predictGap, saveGapModel, type ArchitectureFingerprint,
} from '../../src/regression/index.js';

const fingerprint: ArchitectureFingerprint = {
  architecture: 'cnn3', layer: 'conv3', units: 64, numClasses: 10, inputShape: [28, 28, 1], optimizer: 'sgd',
};
const runs = [[0.2, 0.6, 0.02], [0.5, 0.4, 0.3], [0.9, 0.1, 0.7], [0.4, 0.45, 0.2], [0.8, 0.2, 0.6]]
  .map(([zeta, kappa, gap]) => ({ zeta, kappa, gap }));

describe('regression: gap model files', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'sgm-gap-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('saves and loads a versioned model with its provenance', () => {
    const model = fitGapModel(runs, { dataset: 'mnist', fingerprint, probe: { samplesPerClass: 100, score: 'mean' } });
    const path = join(dir, 'sub', 'm.json');
    saveGapModel(path, model);
    const onDisk = JSON.parse(readFileSync(path, 'utf8'));
    expect(onDisk.version).to.equal(1);
    expect(onDisk.provenance.fingerprint).to.deep.equal(fingerprint);
    const loaded = loadGapModel(path);
    expect(loaded).to.deep.equal(model);
    expect(predictGap(loaded, { zeta: 0.5, kappa: 0.5 })).to.equal(predictGap(model, { zeta: 0.5, kappa: 0.5 }));
  });

  it('accepts plain coefficients, as an object or a file', () => {
    expect(loadGapModel({ a: 1, b: -2, c: 0.1 })).to.deep.equal({ a: 1, b: -2, c: 0.1 });
    writeFileSync(join(dir, 'plain.json'), '{"a": 1, "b": 2, "c": 3}');
    expect(loadGapModel(join(dir, 'plain.json'))).to.deep.equal({ a: 1, b: 2, c: 3 });
  });

  const broken: [string, (m: Record<string, any>) => void, RegExp][] = [
    ['a missing coefficient', (m) => { delete m.b; }, /: b must be a finite number, got undefined/],
    ['a string coefficient', (m) => { m.c = '0.1'; }, /: c must be a finite number, got "0.1"/],
    ['an unknown version', (m) => { m.version = 2; }, /: version must be 1, got 2/],
    ['a versioned model without fit', (m) => { delete m.fit; }, /: fit must be an object, got undefined/],
    ['a negative SSR', (m) => { m.fit.ssr = -1; }, /: fit.ssr must be a finite number >= 0, got -1/],
    ['a wrong points kind', (m) => { m.provenance.points = 'all'; }, /: provenance.points must be 'final' or 'trajectory', got "all"/],
    ['fractional runs', (m) => { m.provenance.runs = 2.5; }, /: provenance.runs must be an integer >= 1, got 2.5/],
    ['a bad unit count', (m) => { m.provenance.fingerprint.units = 0; }, /: provenance.fingerprint.units must be an integer >= 1, got 0/],
    ['a bad input shape', (m) => { m.provenance.fingerprint.inputShape = [28, null, 1]; }, /: provenance.fingerprint.inputShape\[1\] must be an integer >= 1, got null/],
    ['no layer name', (m) => { m.provenance.fingerprint.layer = ''; }, /: provenance.fingerprint.layer must be a non-empty string, got ""/],
  ];
  for (const [what, breakIt, message] of broken) {
    it(`names the file and field for ${what}`, () => {
      const model = JSON.parse(JSON.stringify(fitGapModel(runs, { fingerprint })));
      breakIt(model);
      const path = join(dir, 'bad.json');
      writeFileSync(path, JSON.stringify(model));
      expect(() => loadGapModel(path)).to.throw(new RegExp(`gap model ${path.replace(/[/.]/g, '\\$&')}${message.source}`));
    });
  }

  it('names a missing file and broken JSON', () => {
    expect(() => loadGapModel(join(dir, 'none.json'))).to.throw(/none.json: cannot be read \(ENOENT\)/);
    writeFileSync(join(dir, 'x.json'), '{"a": 1,');
    expect(() => loadGapModel(join(dir, 'x.json'))).to.throw(/x.json: not valid JSON/);
    expect(() => loadGapModel([1, 2, 3] as unknown as object)).to.throw(/gap model object: the model must be an object/);
  });

  it('does not write an invalid model', () => {
    const model = { ...fitGapModel(runs), a: Number.NaN };
    expect(() => saveGapModel(join(dir, 'nan.json'), model)).to.throw(/nan.json: a must be a finite number/);
  });
});

describe('regression: fingerprintMismatch', () => {
  it('compares optimizers by family, as tfjs names them', () => {
    for (const name of ['SGD', 'Momentum', 'sgd']) expect(fingerprintMismatch(fingerprint, { optimizer: name }), name).to.deep.equal([]);
    expect(fingerprintMismatch(fingerprint, { optimizer: 'Adam' })).to.deep.equal([{ field: 'optimizer', model: 'sgd', actual: 'Adam' }]);
  });

  it('lists only the fields known on both sides that differ', () => {
    expect(fingerprintMismatch(fingerprint, { ...fingerprint, inputShape: [null, 28, 28, 1], optimizer: 'MomentumOptimizer' })).to.deep.equal([]);
    const diff = fingerprintMismatch(fingerprint, { layer: 'conv3', units: 128, inputShape: [null, 32, 32, 3], optimizer: 'AdamOptimizer' });
    expect(diff).to.deep.equal([
      { field: 'units', model: 64, actual: 128 },
      { field: 'inputShape', model: [28, 28, 1], actual: [null, 32, 32, 3] },
      { field: 'optimizer', model: 'sgd', actual: 'AdamOptimizer' },
    ]);
    expect(describeMismatch(diff)).to.equal('units: model 64, actual 128; inputShape: model [28, 28, 1], actual [, 32, 32, 3]; optimizer: model sgd, actual AdamOptimizer');
  });
});
