// Where a gap model comes from. Its coefficients only hold for the architecture, task and probe
// settings it was fit on (METHOD.md), so these travel with it and the monitor compares them.

/** What identifies the network a gap model was fit for. */
export interface ArchitectureFingerprint {
  /** Architecture name, e.g. 'cnn3'. */
  architecture?: string;
  /** Name of the ablated layer. */
  layer: string;
  /** Units M of that layer. */
  units: number;
  /** Classes K. */
  numClasses: number;
  /** Input shape without the batch axis, e.g. [28, 28, 1]. */
  inputShape: number[];
  /** Optimizer family, e.g. 'sgd' or 'adam' (see `optimizerFamily`). */
  optimizer?: string;
}

/** The ablation settings the reference runs were probed with. */
export interface ProbeSettings {
  classesPerProbe?: number;
  samplesPerClass?: number;
  chance?: number;
  score?: 'mean' | 'l1';
  normalizeKappa?: boolean;
  [setting: string]: unknown;
}

export interface GapModelProvenance {
  /** 'final': one point per run (end of training, as the paper); 'trajectory': points from every probe epoch. */
  points: 'final' | 'trajectory';
  /** Number of reference runs (networks) behind the points. */
  runs: number;
  /** Dataset name as `loadDataset` takes it. */
  dataset?: string;
  fingerprint?: ArchitectureFingerprint;
  probe?: ProbeSettings;
  /** The reference-run file, e.g. { file, sha256, lines }. */
  source?: Record<string, unknown>;
  /** Held-out check of the fit (`validateSplits` summary). */
  validation?: Record<string, unknown>;
  [field: string]: unknown;
}

export interface FingerprintDifference {
  field: keyof ArchitectureFingerprint;
  model: unknown;
  actual: unknown;
}

/**
 * 'sgd' for tfjs' SGD and Momentum optimizers (momentum SGD is the paper's recipe), otherwise the
 * lower-case name without 'Optimizer' ('AdamOptimizer' → 'adam').
 */
export function optimizerFamily(name: string): string {
  const base = name.toLowerCase().replace(/optimizer$/, '');
  return base === 'momentum' ? 'sgd' : base;
}

/** Input shape without a leading batch axis (null or -1). */
function withoutBatch(shape: readonly (number | null)[]): (number | null)[] {
  return shape.length > 0 && (shape[0] === null || shape[0] === -1) ? shape.slice(1) : shape.slice();
}

/**
 * The fields in which a monitored network differs from the one a gap model was fit for. A field
 * missing on either side is unknown, not a difference.
 */
export function fingerprintMismatch(
  model: Partial<ArchitectureFingerprint>,
  actual: Partial<Omit<ArchitectureFingerprint, 'inputShape'>> & { inputShape?: readonly (number | null)[] },
): FingerprintDifference[] {
  const differences: FingerprintDifference[] = [];
  const fields: (keyof ArchitectureFingerprint)[] = ['architecture', 'layer', 'units', 'numClasses', 'inputShape', 'optimizer'];
  for (const field of fields) {
    const m = model[field];
    const a = actual[field];
    if (m === undefined || a === undefined) continue;
    const same = field === 'inputShape'
      ? withoutBatch(m as number[]).join() === withoutBatch(a as (number | null)[]).join()
      : field === 'optimizer' ? optimizerFamily(String(m)) === optimizerFamily(String(a)) : m === a;
    if (!same) differences.push({ field, model: m, actual: a });
  }
  return differences;
}

/** One line for a warning: "units: model 64, actual 128; optimizer: model sgd, actual adam". */
export function describeMismatch(differences: readonly FingerprintDifference[]): string {
  const show = (v: unknown) => (Array.isArray(v) ? `[${v.join(', ')}]` : String(v));
  return differences.map((d) => `${d.field}: model ${show(d.model)}, actual ${show(d.actual)}`).join('; ');
}
