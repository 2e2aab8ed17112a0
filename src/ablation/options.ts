// Options and result of cumulativeAblation, and the checks that turn bad options into clear errors.

export type AblationStrategy = 'auto' | 'prefix' | 'batched' | 'stepwise';

export interface AblationOptions {
  /** Layer to ablate. Default: the last convolution (see `resolveTargetLayer`). */
  layer?: string;
  /** Classes to probe: a list of class indices, or how many to sample (seeded). Default: all. */
  classes?: number[] | number;
  /** Samples per class, drawn without replacement (seeded). Default: every sample of the class. */
  samplesPerClass?: number;
  /** Accuracy at or below which a class counts as destroyed (n0). Default: 1 / K. */
  chance?: number;
  /** Unit score used for the ranking: mean activation, or mean absolute activation. Default: 'mean'. */
  score?: 'mean' | 'l1';
  /** Divide κ_j by the class's training accuracy E(0). Default: false. */
  normalizeKappa?: boolean;
  /** Seed of the class and sample choice. Default: 0. */
  seed?: number | string;
  /** How the curves are computed; all give the same numbers. Default: 'auto' (prefix when the head
   *  qualifies, else batched). */
  strategy?: AblationStrategy;
  /** Approximate bound, in bytes, on the largest activation tensor of one batched head call; masks
   *  and samples are chunked to stay under it. Default: 64 MiB. */
  maxBatchBytes?: number;
}

export interface ClassAblation {
  classIndex: number;
  /** Number of samples of the class probed. */
  samples: number;
  /** E(0): accuracy on the probed samples with no unit removed. */
  trainAccuracy: number;
  n0: number;
  n0r: number;
  zeta: number;
  kappa: number;
  /** E(n), n = 0..M: accuracy with the n highest-scoring units removed. */
  curve: number[];
  /** E_r(n): the same with the n lowest-scoring units removed. */
  reverseCurve: number[];
  /** Unit indices by descending score (ties: lower index first). */
  order: number[];
}

export interface AblationResult {
  layer: string;
  /** M: units (channels) of the layer. */
  units: number;
  /** K: classes of the model output. */
  numClasses: number;
  chance: number;
  /** The strategy that computed the curves ('auto' resolved). */
  strategy: Exclude<AblationStrategy, 'auto'>;
  /** Mean of ζ_j over the classes probed (NaN when every class was skipped). */
  zeta: number;
  /** Mean of κ_j over the classes probed (NaN when every class was skipped). */
  kappa: number;
  perClass: ClassAblation[];
  skipped: { classIndex: number; reason: string }[];
  /** Wall-clock milliseconds: trunk passes, ranking and curves, and the whole call. */
  timings: { trunkMs: number; curvesMs: number; totalMs: number };
}

const KNOWN = new Set([
  'layer', 'classes', 'samplesPerClass', 'chance', 'score', 'normalizeKappa', 'seed', 'strategy', 'maxBatchBytes',
]);
const STRATEGIES: readonly AblationStrategy[] = ['auto', 'prefix', 'batched', 'stepwise'];
export const DEFAULT_MAX_BATCH_BYTES = 64 * 2 ** 20;

const show = (v: unknown) => (typeof v === 'string' ? `'${v}'` : Array.isArray(v) ? `[${v.join(', ')}]` : String(v));

/** Throws on options that cannot be right whatever the model; checks needing K come later. */
export function checkOptions(options: AblationOptions): void {
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new Error(`unknown option '${key}'; the options are ${[...KNOWN].join(', ')}`);
  }
  const { layer, samplesPerClass, chance, score, strategy, maxBatchBytes, seed } = options;
  if (layer !== undefined && typeof layer !== 'string') throw new Error(`layer: ${show(layer)} is not a layer name`);
  if (samplesPerClass !== undefined && !(Number.isInteger(samplesPerClass) && samplesPerClass >= 1)) {
    throw new Error(`samplesPerClass: ${show(samplesPerClass)} must be an integer >= 1`);
  }
  if (chance !== undefined && !(typeof chance === 'number' && chance >= 0 && chance < 1)) {
    throw new Error(`chance: ${show(chance)} must be a number in [0, 1)`);
  }
  if (score !== undefined && score !== 'mean' && score !== 'l1') throw new Error(`score: ${show(score)} must be 'mean' or 'l1'`);
  if (strategy !== undefined && !STRATEGIES.includes(strategy)) {
    throw new Error(`strategy: ${show(strategy)} must be one of ${STRATEGIES.map(show).join(', ')}`);
  }
  if (maxBatchBytes !== undefined && !(typeof maxBatchBytes === 'number' && maxBatchBytes > 0)) {
    throw new Error(`maxBatchBytes: ${show(maxBatchBytes)} must be a positive number`);
  }
  if (seed !== undefined && typeof seed !== 'number' && typeof seed !== 'string') throw new Error(`seed: ${show(seed)} must be a number or string`);
}

/** The class indices to probe: the list given (checked against K), or `count` of them sampled. */
export function checkClasses(classes: number[] | number | undefined, numClasses: number): number[] | { sample: number } {
  if (classes === undefined) return Array.from({ length: numClasses }, (_, j) => j);
  if (typeof classes === 'number') {
    if (!(Number.isInteger(classes) && classes >= 1 && classes <= numClasses)) {
      throw new Error(`classes: ${classes} must be an integer in [1, ${numClasses}] (how many classes to sample) or a list`);
    }
    return { sample: classes };
  }
  if (!Array.isArray(classes) || classes.length === 0) throw new Error(`classes: ${show(classes)} must be a non-empty list or a count`);
  const seen = new Set<number>();
  for (const c of classes) {
    if (!(Number.isInteger(c) && c >= 0 && c < numClasses)) {
      throw new Error(`classes: class index ${show(c)} is out of range [0, ${numClasses})`);
    }
    if (seen.has(c)) throw new Error(`classes: class index ${c} is listed twice`);
    seen.add(c);
  }
  return classes;
}
