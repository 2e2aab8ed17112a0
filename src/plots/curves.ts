// Fig. 1 / 3A: the cumulative ablation curves of each probed class. E drops as the highest-scoring
// units go; E_r stays high while the lowest-scoring go; the turning points n0 and n0r give ζ and the
// shaded area between the curves gives κ.
import type { TopLevelSpec } from 'vega-lite';
import { PLOT_CONFIG, renderPng, type PngImage, type RenderOptions } from './render.js';

export interface ClassCurves {
  classIndex: number;
  /** Panel title. Default `class <classIndex>`. */
  label?: string;
  /** E(n), n = 0..M. */
  curve: readonly number[];
  /** E_r(n), n = 0..M. */
  reverseCurve: readonly number[];
  n0: number;
  n0r: number;
}

export interface CurvesOptions extends RenderOptions {
  /** Chance level drawn as a dashed line (e.g. 1/K); none when undefined. */
  chance?: number;
  /** Panels per row. Default 5. */
  columns?: number;
  title?: string;
}

const panelTitle = (c: ClassCurves) => c.label ?? `class ${c.classIndex}`;
const E = 'E (top units removed first)';
const ER = 'E_r (bottom units removed first)';

export function ablationCurvesSpec(classes: readonly ClassCurves[], options: CurvesOptions = {}): TopLevelSpec {
  if (classes.length === 0) throw new Error('ablationCurvesSpec: no classes to plot');
  classes.forEach((c) => {
    if (c.curve.length < 2 || c.curve.length !== c.reverseCurve.length) {
      throw new Error(`class ${c.classIndex}: curve and reverseCurve need the same length M+1 >= 2, got ${c.curve.length} and ${c.reverseCurve.length}`);
    }
  });
  const { chance, columns = 5, title = 'Cumulative unit ablation' } = options;
  const rows = classes.flatMap((c) => {
    const panel = panelTitle(c);
    return [
      ...c.curve.map((e, n) => ({ panel, kind: 'pair', n, e, er: c.reverseCurve[n] })),
      ...c.curve.map((e, n) => ({ panel, kind: 'line', n, acc: e, curve: E })),
      ...c.reverseCurve.map((er, n) => ({ panel, kind: 'line', n, acc: er, curve: ER })),
      { panel, kind: 'turn', n: c.n0, acc: c.curve[c.n0], curve: E, label: 'n0' },
      { panel, kind: 'turn', n: c.n0r, acc: c.reverseCurve[c.n0r], curve: ER, label: 'n0r' },
      ...(chance === undefined ? [] : [{ panel, kind: 'chance', acc: chance }]),
    ];
  });
  const only = (kind: string) => ({ filter: `datum.kind === '${kind}'` });
  const x = { field: 'n', type: 'quantitative' as const, title: 'units removed n' };
  const y = { type: 'quantitative' as const, title: 'class accuracy', scale: { domain: [0, 1] } };
  const color = { field: 'curve', type: 'nominal' as const, title: null, scale: { domain: [E, ER], range: ['#d62728', '#1f77b4'] } };
  return {
    title, config: { ...PLOT_CONFIG, legend: { ...PLOT_CONFIG.legend, orient: 'bottom', labelLimit: 400 } },
    data: { values: rows },
    facet: { field: 'panel', type: 'nominal', title: null, sort: classes.map(panelTitle) },
    columns,
    spec: {
      width: columns <= 3 ? 220 : 150, height: 110,
      layer: [
        { transform: [only('pair')], mark: { type: 'area', color: '#9467bd', opacity: 0.2 }, encoding: { x, y: { ...y, field: 'e' }, y2: { field: 'er' } } },
        { transform: [only('chance')], mark: { type: 'rule', color: '#888', strokeDash: [3, 3] }, encoding: { y: { ...y, field: 'acc' } } },
        { transform: [only('line')], mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y: { ...y, field: 'acc' }, color } },
        {
          transform: [only('turn')], mark: { type: 'point', shape: 'diamond', filled: true, size: 70, stroke: 'black', strokeWidth: 0.8 },
          encoding: { x, y: { ...y, field: 'acc' }, color, tooltip: [{ field: 'label' }, { field: 'n' }] },
        },
        {
          transform: [only('turn')], mark: { type: 'text', dy: -9, fontSize: 10 },
          encoding: { x, y: { ...y, field: 'acc' }, text: { field: 'label' } },
        },
      ],
    },
  };
}

/**
 * PNG of the ablation curves with turning points marked and the area between the curves shaded:
 * the monitor's TensorBoard image.
 * @example const { png, width, height } = await renderAblationCurvesPng(result.perClass, { chance: 0.1 });
 */
export async function renderAblationCurvesPng(classes: readonly ClassCurves[], options: CurvesOptions = {}): Promise<PngImage> {
  return renderPng(ablationCurvesSpec(classes, options), { scale: options.scale ?? 1.5, fontFiles: options.fontFiles });
}
