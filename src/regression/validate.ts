// The paper's stability check (Fig. 4D): refit on random 90/10 splits of the reference networks and
// score each fit on the networks it did not see.
import { max, mean, median, min } from 'simple-statistics';
import { createRng } from '../util/random.js';
import { leastSquares, scorePredictions, type GapCoefficients, type GapPoint } from './fit.js';

export interface ValidateOptions {
  /** Number of random splits. Default 100. */
  repeats?: number;
  /** Fraction of runs held out per split (at least one). Default 0.1. */
  testFraction?: number;
  /** Seed of the splits. Default 0. */
  seed?: number | string;
  /**
   * The run each point belongs to (same length as the points). Splits then hold out whole runs, so a
   * trajectory fit is never scored on epochs of a run it was fit on. Default: each point is its own run.
   */
  groups?: readonly (string | number)[];
}

export interface SplitResult {
  /** Held-out points and runs. */
  nTest: number;
  testRuns: number;
  /** Held-out SSR, rmse and Pearson r (NaN when fewer than 2 held-out points). */
  ssr: number;
  rmse: number;
  pearson: number;
}

export interface Summary {
  min: number;
  max: number;
  median: number;
  mean: number;
}

export interface SplitValidation {
  repeats: number;
  testFraction: number;
  /** Runs held out in each split. */
  testRuns: number;
  splits: SplitResult[];
  ssr: Summary;
  rmse: Summary;
  /** Over the splits where r is defined; null when it is defined in none. */
  pearson: Summary | null;
}

export function summarize(values: number[]): Summary {
  return { min: min(values), max: max(values), median: median(values), mean: mean(values) };
}

/** Options' checks and the held-out runs of every split: the one split rule every check shares. */
export function heldOutRuns<T>(runs: readonly T[], options: ValidateOptions = {}): { testRuns: number; splits: Set<T>[] } {
  const { repeats = 100, testFraction = 0.1, seed = 0 } = options;
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`repeats must be a positive integer, got ${repeats}`);
  if (!(testFraction > 0 && testFraction < 1)) throw new Error(`testFraction must be in (0, 1), got ${testFraction}`);
  const testRuns = Math.max(1, Math.round(testFraction * runs.length));
  if (runs.length - testRuns < 3) {
    throw new Error(`validation needs at least 3 runs left to fit after holding out ${testRuns}, got ${runs.length} runs`);
  }
  const rng = createRng(`splits:${seed}`);
  return { testRuns, splits: Array.from({ length: repeats }, () => new Set(rng.sample(runs, testRuns))) };
}

/** Least squares on the points, with the split named when it cannot be fit. */
export function fitSplit(points: readonly GapPoint[], split: number): GapCoefficients {
  try {
    return leastSquares(points);
  } catch (error) {
    throw new Error(`split ${split}: ${(error as Error).message}`);
  }
}

export function validateSplits(points: readonly GapPoint[], options: ValidateOptions = {}): SplitValidation {
  const { repeats = 100, testFraction = 0.1, groups } = options;
  if (groups && groups.length !== points.length) {
    throw new Error(`groups must give one run per point: ${groups.length} groups for ${points.length} points`);
  }
  const runOf = groups ?? points.map((_, i) => i);
  const { testRuns, splits: held } = heldOutRuns([...new Set(runOf)], options);
  const splits = held.map((h, s): SplitResult => {
    const coefficients = fitSplit(points.filter((_, i) => !h.has(runOf[i])), s);
    const { n, ssr, rmse, pearson } = scorePredictions(coefficients, points.filter((_, i) => h.has(runOf[i])));
    return { nTest: n, testRuns, ssr, rmse, pearson };
  });
  const rs = splits.map((s) => s.pearson).filter(Number.isFinite);
  return {
    repeats, testFraction, testRuns, splits,
    ssr: summarize(splits.map((s) => s.ssr)),
    rmse: summarize(splits.map((s) => s.rmse)),
    pearson: rs.length > 0 ? summarize(rs) : null,
  };
}
