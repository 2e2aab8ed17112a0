import { expect } from 'chai';
import { CORRUPTIONS, GRID_PRESETS, crossCorruptions, parseShard, runId, selectShard, type RunConfig } from '../../src/sweep/index.js';

const shipped = GRID_PRESETS['mnist-cnn3'].runs;

describe('sweep grid', () => {
  it('gives every run of every preset its own id', () => {
    for (const [name, preset] of Object.entries(GRID_PRESETS)) {
      const ids = preset.runs.map(runId);
      expect(new Set(ids).size, name).to.equal(ids.length);
    }
  });

  it('derives a run seed from its settings, not from its place in the grid', () => {
    const base = shipped[7];
    const { corruption, seed, ...variant } = base;
    const alone = crossCorruptions([variant], [corruption]);
    const { corruption: _c, seed: _s, ...first } = shipped[0];
    const reversed = crossCorruptions([variant, first], [...CORRUPTIONS].reverse());
    expect(alone[0].seed).to.equal(seed);
    expect(reversed.find((r) => runId(r) === runId(base))?.seed).to.equal(seed);
    expect(new Set(shipped.map((r) => r.seed)).size).to.equal(shipped.length);
  });

  it('ships at least 30 SGD-momentum networks, each variant at all six corruption levels', () => {
    expect(shipped.length).to.be.at.least(30);
    expect(shipped.every((r) => r.optimizer === 'sgd')).to.equal(true);
    const byVariant = new Map<string, number[]>();
    for (const r of shipped) {
      const key = runId(r).replace(/-p[\d.]+-s\d+$/, '');
      byVariant.set(key, [...(byVariant.get(key) ?? []), r.corruption]);
    }
    for (const corruptions of byVariant.values()) expect(corruptions).to.have.members([...CORRUPTIONS]);
    expect(GRID_PRESETS['mnist-cnn3-adam'].runs.every((r) => r.optimizer === 'adam')).to.equal(true);
  });

  it('parses i/n shards and names the bad value', () => {
    expect(parseShard('2/4')).to.deep.equal({ index: 2, count: 4 });
    for (const bad of ['0/4', '5/4', '1/0', '1', 'a/b', '1/2/3']) {
      expect(() => parseShard(bad), bad).to.throw(`shard must be i/n with 1 <= i <= n, e.g. 2/4, got '${bad}'`);
    }
  });

  it('partitions the grid into n disjoint shards whatever the listing order', () => {
    const all = shipped.map(runId).sort();
    for (const count of [1, 2, 3, 5, 7]) {
      const shards = Array.from({ length: count }, (_, i) => selectShard(shipped, { index: i + 1, count }).map(runId));
      const shuffled: RunConfig[] = [...shipped].reverse();
      Array.from({ length: count }, (_, i) => {
        expect(selectShard(shuffled, { index: i + 1, count }).map(runId), `${i + 1}/${count}`).to.deep.equal(shards[i]);
      });
      expect(shards.flat().sort(), `n=${count}`).to.deep.equal(all);
      const sizes = shards.map((s) => s.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).to.be.at.most(1);
    }
  });
});
