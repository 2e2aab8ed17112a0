// The naive reference: the whole model re-run once per mask, one mask at a time.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import type { Fixture } from './fixtures.js';

export interface NaiveCurve {
  /** Correct predictions for n = 0..M units removed in `order`. */
  correct: number[];
  /** Samples whose two largest outputs are within float error at that n. */
  ties: number[];
}

/** Curve of class `label` on samples `x` as the units of `order` are zeroed one more at a time. */
export function naiveCurve(fixture: Fixture, x: tf.Tensor, label: number, order: number[]): NaiveCurve {
  const M = order.length;
  const correct: number[] = [];
  const ties: number[] = [];
  tf.tidy(() => {
    for (let n = 0; n <= M; n++) {
      const keep = new Float32Array(M).fill(1);
      for (const unit of order.slice(0, n)) keep[unit] = 0;
      const out = fixture.forward(x, tf.tensor1d(keep));
      const [S, K] = out.shape;
      const values = out.dataSync();
      let hits = 0;
      let near = 0;
      for (let s = 0; s < S; s++) {
        const row = Array.from(values.subarray(s * K, (s + 1) * K));
        const sorted = row.slice().sort((a, b) => b - a);
        if (row.indexOf(sorted[0]) === label) hits++;
        if (sorted[0] - sorted[1] <= 1e-5 * Math.max(1, Math.abs(sorted[0]))) near++;
      }
      correct.push(hits);
      ties.push(near);
    }
  });
  return { correct, ties };
}

/** Unit scores h_i (mean over samples and positions, or mean absolute value), in float64. */
export function naiveScores(fixture: Fixture, x: tf.Tensor, score: 'mean' | 'l1' = 'mean'): number[] {
  const out = fixture.targetOutput(x);
  const values = out.dataSync();
  out.dispose();
  const M = out.shape[out.rank - 1];
  const sums = new Array<number>(M).fill(0);
  values.forEach((v, i) => { sums[i % M] += score === 'l1' ? Math.abs(v) : v; });
  return sums.map((s) => s / (values.length / M));
}

/** Engine curve equals the naive one, up to one flipped sample where the naive logits tie. */
export function expectCurveMatches(curve: number[], samples: number, naive: { correct: number[]; ties: number[] }, what: string) {
  expect(curve.length, what).to.equal(naive.correct.length);
  curve.forEach((e, n) => {
    const diff = Math.abs(Math.round(e * samples) - naive.correct[n]);
    expect(diff, `${what} n=${n}: engine ${e * samples} vs naive ${naive.correct[n]}`).to.be.at.most(Math.min(1, naive.ties[n]));
  });
}

