// The figure set the fit CLI writes beside a gap model (paper Fig. 4A–D and example ablation curves).
import { ablationCurvesSpec, type ClassCurves } from './curves.js';
import { predictedGapSpec, sparsityGapSpec, splitSsrSpec, zetaKappaSpec, type GapPlotPoint, type PredictionPoint } from './gap-figures.js';
import { writePlot, type RenderOptions } from './render.js';

export interface FitPlotInput {
  /** One point per reference network (its end of training). */
  networks: readonly GapPlotPoint[];
  /** The points fit, with the model's prediction. */
  predictions: readonly PredictionPoint[];
  /** Held-out SSR of each validation split. */
  splitSsrs: readonly number[];
  /** Example curves; the figure is left out when empty. */
  examples?: readonly ClassCurves[];
  chance?: number;
}

/** Writes `<base>.<figure>.svg` and `.png` for each figure; returns the paths. */
export async function writeFitPlots(base: string, input: FitPlotInput, options: RenderOptions = {}): Promise<string[]> {
  const figures = [
    ['zeta-kappa', zetaKappaSpec(input.networks)],
    ['sparsity-gap', sparsityGapSpec(input.networks)],
    ['predicted', predictedGapSpec(input.predictions)],
    ['split-ssr', splitSsrSpec(input.splitSsrs)],
    ...(input.examples?.length ? [['curves', ablationCurvesSpec(input.examples, { chance: input.chance, columns: 2, title: 'Example ablation curves' })] as const] : []),
  ] as const;
  const files: string[] = [];
  for (const [name, spec] of figures) files.push(...await writePlot(`${base}.${name}`, spec, options));
  return files;
}
