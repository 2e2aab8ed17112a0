// The paper's gap model g_hat = a*zeta + b*kappa + c, fit by ordinary least squares over reference
// networks (METHOD.md "Gap model"). Plain numbers in and out: no tfjs here.
import { Matrix, SingularValueDecomposition, solve } from 'ml-matrix';
import { sampleCorrelation } from 'simple-statistics';
import type { GapModelProvenance } from './provenance.js';

/** One observation: a network's (or a training epoch's) sparsity and its observed generalization gap. */
export interface GapPoint {
  zeta: number;
  kappa: number;
  gap: number;
}

export interface GapCoefficients {
  a: number;
  b: number;
  c: number;
}

export interface FitStats {
  /** Number of points fit. */
  n: number;
  /** Pearson r between predicted and observed gap on the points fit. */
  pearson: number;
  /** Sum of squared residuals on the points fit. */
  ssr: number;
  /** sqrt(ssr / n). */
  rmse: number;
}

export const GAP_MODEL_VERSION = 1;

export interface GapModel extends GapCoefficients {
  version: typeof GAP_MODEL_VERSION;
  fit: FitStats;
  provenance: GapModelProvenance;
}

/** Condition number of [zeta, kappa, 1] beyond which the three coefficients are not determined. */
const MAX_CONDITION = 1e10;

function checkPoints(points: readonly GapPoint[], fields: readonly (keyof GapPoint)[]): void {
  points.forEach((p, i) => {
    for (const f of fields) {
      if (typeof p?.[f] !== 'number' || !Number.isFinite(p[f])) throw new Error(`run ${i}: ${f} must be a finite number, got ${p?.[f]}`);
    }
  });
}

/** g_hat for one point; a plain { a, b, c } works as well as a fitted model. */
export function predictGap(model: GapCoefficients, point: { zeta: number; kappa: number }): number {
  if (!Number.isFinite(point.zeta) || !Number.isFinite(point.kappa)) {
    throw new Error(`predictGap: zeta and kappa must be finite, got zeta ${point.zeta}, kappa ${point.kappa}`);
  }
  return model.a * point.zeta + model.b * point.kappa + model.c;
}

/** SSR, rmse and Pearson r of a model's predictions on points (r is NaN with < 2 points or no variance). */
export function scorePredictions(model: GapCoefficients, points: readonly GapPoint[]): FitStats {
  const predicted = points.map((p) => predictGap(model, p));
  const ssr = points.reduce((s, p, i) => s + (predicted[i] - p.gap) ** 2, 0);
  let pearson = Number.NaN;
  if (points.length >= 2) pearson = sampleCorrelation(predicted, points.map((p) => p.gap));
  return { n: points.length, pearson, ssr, rmse: Math.sqrt(ssr / points.length) };
}

/** The least-squares a, b, c; throws when they are not determined by the points. */
export function leastSquares(points: readonly GapPoint[]): GapCoefficients {
  checkPoints(points, ['zeta', 'kappa', 'gap']);
  if (points.length < 3) throw new Error(`fitting a, b and c needs at least 3 runs, got ${points.length}`);
  const x = new Matrix(points.map((p) => [p.zeta, p.kappa, 1]));
  const { condition } = new SingularValueDecomposition(x, { computeLeftSingularVectors: false, computeRightSingularVectors: false });
  if (!(condition < MAX_CONDITION)) {
    throw new Error(`the fit is singular: across these ${points.length} runs zeta and kappa are constant or lie on one line `
      + '(vary the label corruption and training recipe of the reference runs)');
  }
  const [a, b, c] = solve(x, Matrix.columnVector(points.map((p) => p.gap))).to1DArray();
  return { a, b, c };
}

/**
 * Fits g_hat = a*zeta + b*kappa + c. `meta` goes into the provenance (points default 'final',
 * runs default the number of points).
 * @example const model = fitGapModel(runs, { dataset: 'mnist', fingerprint });
 */
export function fitGapModel(points: readonly GapPoint[], meta: Partial<GapModelProvenance> = {}): GapModel {
  const coefficients = leastSquares(points);
  if (points.every((p) => p.gap === points[0].gap)) {
    throw new Error(`every run has the same gap (${points[0].gap}): there is nothing to fit (vary the label corruption)`);
  }
  return {
    version: GAP_MODEL_VERSION,
    ...coefficients,
    fit: scorePredictions(coefficients, points),
    provenance: { points: 'final', runs: points.length, ...meta },
  };
}
