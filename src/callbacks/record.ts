// One entry of `monitor.history` per probe, and the epoch-log keys the monitor adds.
import type { ClassAblation } from '../ablation/index.js';

/** Keys the monitor puts into the epoch logs on probe epochs (History and EarlyStopping see them). */
export const LOG_KEYS = {
  zeta: 'sparsity_zeta',
  kappa: 'sparsity_kappa',
  predictedGap: 'predicted_gap',
} as const;

export interface ProbeRecord {
  /** 0-based index of the epoch after which the probe ran (as tfjs passes it to callbacks). */
  epoch: number;
  zeta: number;
  kappa: number;
  /** a·ζ + b·κ + c of the gap model; null without one. */
  predictedGap: number | null;
  /** acc − val_acc of that epoch; null without validation metrics (and for the train-end probe). */
  observedGap: number | null;
  /** Per probed class: samples, train accuracy, turning points, ζ_j, κ_j, curves. */
  perClass: ClassAblation[];
  /** Classes drawn but left out, with the reason (e.g. normalizeKappa with zero accuracy). */
  skipped: { classIndex: number; reason: string }[];
  /** Units M of the target layer. */
  units: number;
  /** The accuracy that counted as chance for n0. */
  chance: number;
  /** Wall time of the probe. */
  seconds: number;
  /** True for the extra probe after the last epoch (`probeOnTrainEnd`). */
  atTrainEnd: boolean;
}

export interface ProbeFailure {
  epoch: number;
  message: string;
}

/** acc − val_acc from epoch logs, whichever of tfjs' names the metric has; null without both. */
export function observedGap(logs: Record<string, number>): number | null {
  for (const key of ['acc', 'accuracy']) {
    const train = logs[key];
    const val = logs[`val_${key}`];
    if (typeof train === 'number' && typeof val === 'number') return train - val;
  }
  return null;
}
