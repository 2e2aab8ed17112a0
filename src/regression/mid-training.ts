// The monitor predicts during training, but the paper fits finished networks only. This check asks
// which gap model predicts the gap of a half-trained network better: one fit on final points, or one
// fit on trajectory points (every probe epoch). Both are fit on the same runs of each split and scored
// on the mid-training points of the runs held out.
import { scorePredictions, type GapPoint } from './fit.js';
import { fitSplit, heldOutRuns, summarize, type Summary, type ValidateOptions } from './validate.js';

export interface ReferenceRun {
  id: string;
  /** The end of training (one point). */
  final: GapPoint;
  /** The probes before the end of training. */
  midTraining: readonly GapPoint[];
}

export interface HeldOutError {
  /** Over splits with at least one held-out mid-training point. */
  rmse: Summary;
  /** sqrt(total squared error / total points) over all splits. */
  pooledRmse: number;
}

export interface MidTrainingComparison {
  repeats: number;
  testRuns: number;
  /** Splits whose held-out runs had mid-training points (the others are not counted). */
  splitsScored: number;
  /** Held-out mid-training points, summed over the scored splits. */
  points: number;
  /** Fit on final and mid-training points of the training runs. */
  trajectoryModel: HeldOutError;
  /** Fit on the final points of the training runs (the paper's way). */
  finalModel: HeldOutError;
}

/** Same options and, for the same runs in the same order and seed, the same splits as `validateSplits`. */
export function compareMidTraining(runs: readonly ReferenceRun[], options: Omit<ValidateOptions, 'groups'> = {}): MidTrainingComparison | null {
  const { testRuns, splits } = heldOutRuns(runs.map((r) => r.id), options);
  const trajectoryErrors: { ssr: number; n: number }[] = [];
  const finalErrors: { ssr: number; n: number }[] = [];
  splits.forEach((held, s) => {
    const test = runs.filter((r) => held.has(r.id)).flatMap((r) => r.midTraining);
    if (test.length === 0) return;
    const train = runs.filter((r) => !held.has(r.id));
    const trajectoryFit = fitSplit(train.flatMap((r) => [...r.midTraining, r.final]), s);
    const finalFit = fitSplit(train.map((r) => r.final), s);
    trajectoryErrors.push(scorePredictions(trajectoryFit, test));
    finalErrors.push(scorePredictions(finalFit, test));
  });
  if (trajectoryErrors.length === 0) return null;
  const points = trajectoryErrors.reduce((n, e) => n + e.n, 0);
  const heldOut = (errors: { ssr: number; n: number }[]): HeldOutError => ({
    rmse: summarize(errors.map((e) => Math.sqrt(e.ssr / e.n))),
    pooledRmse: Math.sqrt(errors.reduce((s, e) => s + e.ssr, 0) / points),
  });
  return {
    repeats: splits.length, testRuns, splitsScored: trajectoryErrors.length, points,
    trajectoryModel: heldOut(trajectoryErrors), finalModel: heldOut(finalErrors),
  };
}
