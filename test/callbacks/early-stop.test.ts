import { expect } from 'chai';
import { evaluateStop, type StopPoint, type StopPolicy } from '../../src/callbacks/index.js';

const policy = (p: Partial<StopPolicy> = {}): StopPolicy => ({ maxPredictedGap: 0.2, patience: 1, startFromEpoch: 0, ...p });
/** Probes every 5 epochs (epoch indices 4, 9, 14, …) with the given predicted gaps. */
const probes = (...gaps: (number | null)[]): StopPoint[] => gaps.map((predictedGap, i) => ({ epoch: 5 * i + 4, predictedGap }));

describe('evaluateStop', () => {
  const cases: { name: string; history: StopPoint[]; policy: StopPolicy; stop: boolean; bestIndex: number | null; reason: RegExp }[] = [
    { name: 'no probe yet', history: [], policy: policy(), stop: false, bestIndex: null, reason: /no probe/ },
    { name: 'under the limit', history: probes(0.1), policy: policy(), stop: false, bestIndex: 0, reason: /0\.1000 <= maxPredictedGap 0\.2/ },
    { name: 'equal to the limit is not over it', history: probes(0.2), policy: policy(), stop: false, bestIndex: 0, reason: /<=/ },
    { name: 'over, patience 1', history: probes(0.1, 0.25), policy: policy(), stop: true, bestIndex: 0, reason: /0\.2500 > maxPredictedGap 0\.2 on 1 consecutive probe\(s\) \(epoch 10\)/ },
    { name: 'over once, patience 2', history: probes(0.3), policy: policy({ patience: 2 }), stop: false, bestIndex: 0, reason: /on 1 of 2/ },
    { name: 'over twice in a row, patience 2', history: probes(0.1, 0.3, 0.4), policy: policy({ patience: 2 }), stop: true, bestIndex: 0, reason: /0\.3000, 0\.4000 .* \(epoch 10, 15\)/ },
    { name: 'over, under, over is not consecutive', history: probes(0.3, 0.1, 0.3), policy: policy({ patience: 2 }), stop: false, bestIndex: 1, reason: /on 1 of 2/ },
    { name: 'probes before startFromEpoch never count', history: probes(0.5, 0.5), policy: policy({ startFromEpoch: 10, patience: 1 }), stop: false, bestIndex: null, reason: /from epoch 11/ },
    { name: 'first eligible probe over the limit', history: probes(0.5, 0.5, 0.5), policy: policy({ startFromEpoch: 10, patience: 1 }), stop: true, bestIndex: 2, reason: /\(epoch 15\)/ },
    { name: 'patience counts only eligible probes', history: probes(0.5, 0.5, 0.5), policy: policy({ startFromEpoch: 9, patience: 3 }), stop: false, bestIndex: 1, reason: /2 of 3/ },
    { name: 'best is the lowest eligible gap, earliest on ties', history: probes(0.05, 0.12, 0.08, 0.08, 0.15), policy: policy({ startFromEpoch: 5 }), stop: false, bestIndex: 2, reason: /0\.1500 <=/ },
    { name: 'a non-finite prediction counts as over the limit', history: probes(0.1, Number.NaN), policy: policy(), stop: true, bestIndex: 0, reason: /NaN > maxPredictedGap/ },
    { name: 'probes without a prediction are skipped', history: probes(null, 0.1, null), policy: policy(), stop: false, bestIndex: 1, reason: /0\.1000 <=/ },
    { name: 'a negative limit', history: probes(-0.05), policy: policy({ maxPredictedGap: -0.1 }), stop: true, bestIndex: 0, reason: /-0\.0500 > maxPredictedGap -0\.1/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const decision = evaluateStop(c.history, c.policy);
      expect(decision.stop).to.equal(c.stop);
      expect(decision.bestIndex).to.equal(c.bestIndex);
      expect(decision.reason).to.match(c.reason);
    });
  }

  it('is pure: the history and policy are not changed and the same input gives the same answer', () => {
    const history = probes(0.1, 0.3);
    const p = policy();
    const frozen = JSON.stringify([history, p]);
    expect(evaluateStop(history, p)).to.deep.equal(evaluateStop(history, p));
    expect(JSON.stringify([history, p])).to.equal(frozen);
  });
});
