// One seeded random source for every sampling decision in the project (class and sample choice,
// label corruption, data splits, validation splits), so that a seed reproduces a run exactly.
import seedrandom from 'seedrandom';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** A new array with the items in random order (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[];
  /** k distinct items in random order; all of them when k >= items.length. */
  sample<T>(items: readonly T[], k: number): T[];
}

export function createRng(seed: number | string = 0): Rng {
  const prng = seedrandom(String(seed));
  const next = () => prng.quick();
  const int = (n: number) => Math.floor(next() * n);
  const shuffle = <T>(items: readonly T[]): T[] => {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = int(i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };
  const sample = <T>(items: readonly T[], k: number): T[] => shuffle(items).slice(0, Math.max(0, k));
  return { next, int, shuffle, sample };
}
