import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { cumulativeAblation, resolveTargetLayer, type AblationResult } from '../../src/ablation/index.js';
import { buildFixtures, FIXTURE_SPECS, makeData, type Fixture } from './fixtures.js';
import { expectCurveMatches, naiveCurve, naiveScores } from './naive.js';

const STRATEGIES = ['auto', 'prefix', 'batched', 'stepwise'] as const;

/** The order sorts the independently computed scores descending (equal scores: lower index first). */
function expectValidOrder(order: number[], scores: number[], what: string) {
  expect([...order].sort((a, b) => a - b), what).to.deep.equal(scores.map((_, i) => i));
  for (let k = 0; k + 1 < order.length; k++) {
    const [a, b] = [scores[order[k]], scores[order[k + 1]]];
    const tol = 1e-5 * Math.max(1, Math.abs(a));
    expect(a, `${what} rank ${k}`).to.be.at.least(b - tol);
    if (a === b) expect(order[k], `${what} tie at rank ${k}`).to.be.lessThan(order[k + 1]);
  }
}

describe('cumulativeAblation equals the naive ablation', function () {
  let fixtures: Fixture[];
  before(() => { fixtures = buildFixtures(); });
  for (const spec of FIXTURE_SPECS) {
    describe(spec.name, () => {
      let fixture: Fixture;
      let data: ReturnType<typeof makeData>;
      before(() => {
        fixture = fixtures.find((f) => f.name === spec.name)!;
        data = makeData(fixture);
      });
      after(() => { tf.dispose([data.x, data.y]); });

      it(`resolves the target layer (${spec.isDefault ? 'default' : 'named'})`, () => {
        expect(resolveTargetLayer(fixture.model, fixture.isDefault ? undefined : fixture.layer).name).to.equal(fixture.layer);
      });

      for (const strategy of STRATEGIES) {
        if (strategy === 'prefix' && !spec.prefix) continue;
        it(`strategy ${strategy}`, async () => {
          const before = tf.memory().numTensors;
          // 'auto' runs under a small memory bound: the prefix path then takes samples in several
          // chunks, the batched path a few masks per call
          const maxBatchBytes = strategy === 'auto' ? (spec.prefix ? 16_384 : 100_000) : undefined;
          const result = await cumulativeAblation(fixture.model, data, { layer: fixture.layer, strategy, maxBatchBytes });
          expect(tf.memory().numTensors, 'tensors left behind').to.equal(before);
          expect(result.strategy).to.equal(strategy === 'auto' ? (fixture.prefix ? 'prefix' : 'batched') : strategy);
          checkAgainstNaive(fixture, data, result);
        });
      }

      if (!spec.prefix) {
        it('refuses strategy prefix, naming it', async () => {
          const before = tf.memory().numTensors;
          let error: Error | undefined;
          await cumulativeAblation(fixture.model, data, { layer: fixture.layer, strategy: 'prefix' }).catch((e) => { error = e; });
          expect(error?.message).to.match(/strategy: 'prefix'/);
          expect(tf.memory().numTensors).to.equal(before);
        });
      }
    });
  }

  // the strategies share one ranking, so each naive curve is computed once per fixture, class and order
  const naiveCache = new Map<string, ReturnType<typeof naiveCurve>>();
  const cachedNaive = (fixture: Fixture, x: tf.Tensor, classIndex: number, order: number[]) => {
    const key = `${fixture.name}/${classIndex}/${order.join(',')}`;
    if (!naiveCache.has(key)) naiveCache.set(key, naiveCurve(fixture, x, classIndex, order));
    return naiveCache.get(key)!;
  };

  function checkAgainstNaive(fixture: Fixture, data: ReturnType<typeof makeData>, result: AblationResult) {
    expect(result.perClass.map((c) => c.classIndex)).to.deep.equal([0, 1, 2]);
    let distinct = 0;
    for (const c of result.perClass) {
      const indices = data.labels.flatMap((l, i) => (l === c.classIndex ? [i] : []));
      expect(c.samples).to.equal(indices.length);
      const x = tf.gather(data.x, indices);
      try {
        expectValidOrder(c.order, naiveScores(fixture, x), `${fixture.name} class ${c.classIndex}`);
        const reversed = c.order.slice().reverse();
        expectCurveMatches(c.curve, c.samples, cachedNaive(fixture, x, c.classIndex, c.order), `E class ${c.classIndex}`);
        expectCurveMatches(c.reverseCurve, c.samples, cachedNaive(fixture, x, c.classIndex, reversed), `E_r class ${c.classIndex}`);
      } finally {
        x.dispose();
      }
      distinct += new Set([...c.curve, ...c.reverseCurve]).size;
    }
    // the check means something only if ablation changes predictions
    expect(distinct, 'curves are flat').to.be.greaterThan(2 * result.perClass.length);
  }
});
