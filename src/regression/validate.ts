// The paper's stability check (Fig. 4D): refit on random 90/10 splits of the reference networks and
// score each fit on the networks it did not see.
import { max, mean, median, min } from 'simple-statistics';
import { createRng } from '../util/random.js';
import { leastSquares, scorePredictions, type GapPoint } from './fit.js';

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

function summarize(values: number[]): Summary {
  return { min: min(values), max: max(values), median: median(values), mean: mean(values) };
}

export function validateSplits(points: readonly GapPoint[], options: ValidateOptions = {}): SplitValidation {
  const { repeats = 100, testFraction = 0.1, seed = 0, groups } = options;
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`repeats must be a positive integer, got ${repeats}`);
  if (!(testFraction > 0 && testFraction < 1)) throw new Error(`testFraction must be in (0, 1), got ${testFraction}`);
  if (groups && groups.length !== points.length) {
    throw new Error(`groups must give one run per point: ${groups.length} groups for ${points.length} points`);
  }
  const runOf = groups ?? points.map((_, i) => i);
  const runs = [...new Set(runOf)];
  const testRuns = Math.max(1, Math.round(testFraction * runs.length));
  if (runs.length - testRuns < 3) {
    throw new Error(`validateSplits needs at least 3 runs left to fit after holding out ${testRuns}, got ${runs.length} runs`);
  }
  const rng = createRng(`splits:${seed}`);
  const splits: SplitResult[] = [];
  for (let s = 0; s < repeats; s++) {
    const held = new Set(rng.sample(runs, testRuns));
    const train = points.filter((_, i) => !held.has(runOf[i]));
    const test = points.filter((_, i) => held.has(runOf[i]));
    let coefficients;
    try {
      coefficients = leastSquares(train);
    } catch (error) {
      throw new Error(`split ${s}: ${(error as Error).message}`);
    }
    const { n, ssr, rmse, pearson } = scorePredictions(coefficients, test);
    splits.push({ nTest: n, testRuns, ssr, rmse, pearson });
  }
  const rs = splits.map((s) => s.pearson).filter(Number.isFinite);
  return {
    repeats, testFraction, testRuns, splits,
    ssr: summarize(splits.map((s) => s.ssr)),
    rmse: summarize(splits.map((s) => s.rmse)),
    pearson: rs.length > 0 ? summarize(rs) : null,
  };
}
