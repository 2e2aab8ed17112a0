// The paper's Fig. 4 as Vega-Lite specs: how ζ, κ and the gap relate across reference networks, and
// how well the fitted gap model predicts.
import type { TopLevelSpec } from 'vega-lite';
import { PLOT_CONFIG } from './render.js';

export interface GapPlotPoint {
  zeta: number;
  kappa: number;
  gap: number;
}

const SIZE = { width: 360, height: 280 };
const q = (field: string, title: string) => ({ field, type: 'quantitative' as const, title });

/** Fig. 4A: ζ against κ, each network coloured by its gap. */
export function zetaKappaSpec(points: readonly GapPlotPoint[], title = 'ζ and κ of the reference networks'): TopLevelSpec {
  return {
    ...SIZE, title, config: PLOT_CONFIG,
    data: { values: points.map(({ zeta, kappa, gap }) => ({ zeta, kappa, gap })) },
    mark: { type: 'point', filled: true, size: 60, opacity: 0.85 },
    encoding: {
      x: { ...q('zeta', 'ζ (critical-unit fraction)'), scale: { zero: false } },
      y: { ...q('kappa', 'κ (area between E_r and E)'), scale: { zero: false } },
      color: { ...q('gap', 'gap'), scale: { scheme: 'viridis' } },
    },
  };
}

/** Fig. 4B: ζ and κ against the gap. */
export function sparsityGapSpec(points: readonly GapPlotPoint[], title = 'ζ and κ against the generalization gap'): TopLevelSpec {
  return {
    ...SIZE, title, config: PLOT_CONFIG,
    data: { values: points.flatMap(({ zeta, kappa, gap }) => [{ gap, value: zeta, measure: 'ζ' }, { gap, value: kappa, measure: 'κ' }]) },
    mark: { type: 'point', filled: true, size: 50, opacity: 0.8 },
    encoding: {
      x: q('gap', 'generalization gap (train − test accuracy)'),
      y: q('value', 'ζ, κ'),
      color: { field: 'measure', type: 'nominal', title: null, scale: { range: ['#d62728', '#1f77b4'] } },
      shape: { field: 'measure', type: 'nominal', title: null },
    },
  };
}

export interface PredictionPoint {
  gap: number;
  predicted: number;
  /** Legend group, e.g. 'fit' / 'held out' or 'final' / 'mid-training'. */
  group?: string;
}

/** Fig. 4C: predicted against observed gap, with the line y = x. */
export function predictedGapSpec(points: readonly PredictionPoint[], title = 'Predicted against observed gap'): TopLevelSpec {
  const all = points.flatMap((p) => [p.gap, p.predicted]);
  const lo = Math.min(0, ...all);
  const hi = Math.max(...all);
  const grouped = points.some((p) => p.group !== undefined);
  return {
    ...SIZE, title, config: PLOT_CONFIG,
    layer: [
      {
        data: { values: [{ v: lo }, { v: hi }] },
        mark: { type: 'line', color: '#888', strokeDash: [4, 4] },
        encoding: { x: { field: 'v', type: 'quantitative' }, y: { field: 'v', type: 'quantitative' } },
      },
      {
        data: { values: points.map((p) => ({ ...p, group: p.group ?? 'run' })) },
        mark: { type: 'point', filled: true, size: 55, opacity: 0.8 },
        encoding: {
          x: { ...q('gap', 'observed gap'), scale: { domain: [lo, hi] } },
          y: { ...q('predicted', 'predicted gap (a·ζ + b·κ + c)'), scale: { domain: [lo, hi] } },
          ...(grouped ? { color: { field: 'group', type: 'nominal' as const, title: null } } : {}),
        },
      },
    ],
  };
}

/** Fig. 4D: held-out SSR over the random splits. */
export function splitSsrSpec(ssrs: readonly number[], title = 'Held-out SSR over random splits'): TopLevelSpec {
  return {
    ...SIZE, title, config: PLOT_CONFIG,
    data: { values: ssrs.map((ssr) => ({ ssr })) },
    mark: { type: 'bar', color: '#4c78a8' },
    encoding: {
      x: { field: 'ssr', type: 'quantitative', bin: { maxbins: 20 }, title: 'sum of squared residuals on held-out runs' },
      y: { aggregate: 'count', type: 'quantitative', title: 'splits' },
    },
  };
}
