// Turning points, ζ and κ of one class's ablation curves, exactly as METHOD.md defines them.

export interface KeyQuantities {
  /** First n with E(n) <= chance; if none, the first index of the minimum of E. */
  n0: number;
  /** argmax of E_r over n in 0..M-1, ties toward the largest n. */
  n0r: number;
  /** (n0 + M - n0r) / (2M). */
  zeta: number;
  /** (1/M) Σ_{n=0..M} |E_r(n) - E(n)| (paper eq. 7), divided by E(0) with `normalizeKappa`
   *  (NaN when E(0) = 0 then: the class has no training accuracy to normalize by). */
  kappa: number;
}

export interface KeyQuantityOptions {
  chance: number;
  normalizeKappa?: boolean;
}

/** ζ_j and κ_j from E (`curve`) and E_r (`reverseCurve`), both of length M + 1. */
export function keyQuantities(curve: number[], reverseCurve: number[], opts: KeyQuantityOptions): KeyQuantities {
  const M = curve.length - 1;
  if (M < 1) throw new Error(`curve: needs M + 1 >= 2 points, got ${curve.length}`);
  if (reverseCurve.length !== curve.length) {
    throw new Error(`reverseCurve: length ${reverseCurve.length} differs from curve length ${curve.length}`);
  }
  for (const [name, c] of [['curve', curve], ['reverseCurve', reverseCurve]] as const) {
    const bad = c.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new Error(`${name}: value ${c[bad]} at n = ${bad} is not finite`);
  }
  if (!Number.isFinite(opts.chance)) throw new Error(`chance: ${opts.chance} is not a finite number`);

  let n0 = curve.findIndex((e) => e <= opts.chance);
  if (n0 < 0) {
    n0 = 0;
    for (let n = 1; n <= M; n++) if (curve[n] < curve[n0]) n0 = n;
  }
  let n0r = 0;
  for (let n = 1; n < M; n++) if (reverseCurve[n] >= reverseCurve[n0r]) n0r = n;

  let gap = 0;
  for (let n = 0; n <= M; n++) gap += Math.abs(reverseCurve[n] - curve[n]);
  let kappa = gap / M;
  if (opts.normalizeKappa) kappa = curve[0] === 0 ? NaN : kappa / curve[0];

  return { n0, n0r, zeta: (n0 + M - n0r) / (2 * M), kappa };
}
