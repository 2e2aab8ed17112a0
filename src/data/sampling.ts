// Seeded per-class sampling, shared by the ablation probe, the monitor and the sweep, so that one seed
// picks the same classes and samples everywhere.
import type { Rng } from '../util/random.js';

/** Indices of the samples of each class, in data order. */
export function indicesByClass(labels: ArrayLike<number>, numClasses: number): number[][] {
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < labels.length; i++) byClass[labels[i]].push(i);
  return byClass;
}

/**
 * For each requested class, up to `perClass` of its sample indices drawn without replacement
 * (all of them, in data order, when `perClass` is undefined or at least the class size).
 */
export function sampleIndicesByClass(
  labels: ArrayLike<number>,
  numClasses: number,
  classes: readonly number[],
  rng: Rng,
  perClass?: number,
): Map<number, number[]> {
  const byClass = indicesByClass(labels, numClasses);
  const picked = new Map<number, number[]>();
  for (const c of classes) {
    const all = byClass[c];
    picked.set(c, perClass === undefined || perClass >= all.length ? all : rng.sample(all, perClass).sort((a, b) => a - b));
  }
  return picked;
}
