// The early-stopping decision, kept apart from the training hooks: a pure function of the probe
// history, so every case can be tested with plain numbers.

export interface StopPolicy {
  /** Stop when the predicted gap exceeds this. */
  maxPredictedGap: number;
  /** How many consecutive eligible probes must exceed the limit. */
  patience: number;
  /** Probes after epochs with a lower index are ignored (0-based epoch index, as in tfjs hooks). */
  startFromEpoch: number;
}

export interface StopPoint {
  /** 0-based index of the epoch after which the probe ran. */
  epoch: number;
  /** null when no gap model is loaded. */
  predictedGap: number | null;
}

export interface StopDecision {
  stop: boolean;
  /** Why, in words a user can act on. */
  reason: string;
  /** Index into the history of the eligible probe with the lowest predicted gap; null if none. */
  bestIndex: number | null;
}

// A non-finite prediction is a named case: it counts as over the limit (something has diverged).
const exceeds = (gap: number, limit: number) => !Number.isFinite(gap) || gap > limit;
const show = (gap: number) => (Number.isFinite(gap) ? gap.toFixed(4) : String(gap));

export function evaluateStop(history: readonly StopPoint[], policy: StopPolicy): StopDecision {
  const eligible: number[] = [];
  history.forEach((point, i) => {
    if (point.epoch >= policy.startFromEpoch && point.predictedGap !== null) eligible.push(i);
  });
  let bestIndex: number | null = null;
  for (const i of eligible) {
    const gap = history[i].predictedGap!;
    if (Number.isFinite(gap) && (bestIndex === null || gap < history[bestIndex].predictedGap!)) bestIndex = i;
  }
  if (eligible.length === 0) {
    return { stop: false, reason: `no probe with a predicted gap from epoch ${policy.startFromEpoch + 1} on yet`, bestIndex };
  }
  let run = 0;
  for (let k = eligible.length - 1; k >= 0 && exceeds(history[eligible[k]].predictedGap!, policy.maxPredictedGap); k--) run++;
  const last = history[eligible[eligible.length - 1]];
  const limit = policy.maxPredictedGap;
  if (run >= policy.patience) {
    const epochs = eligible.slice(-policy.patience).map((i) => history[i].epoch + 1).join(', ');
    const gaps = eligible.slice(-policy.patience).map((i) => show(history[i].predictedGap!)).join(', ');
    return {
      stop: true,
      reason: `predicted gap ${gaps} > maxPredictedGap ${limit} on ${policy.patience} consecutive probe(s) (epoch ${epochs})`,
      bestIndex,
    };
  }
  const reason = run === 0
    ? `predicted gap ${show(last.predictedGap!)} <= maxPredictedGap ${limit}`
    : `predicted gap ${show(last.predictedGap!)} > maxPredictedGap ${limit} on ${run} of ${policy.patience} consecutive probe(s) needed`;
  return { stop: false, reason, bestIndex };
}
