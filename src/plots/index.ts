export { FONT_FAMILY, renderPng, renderSvg, svgToPng, writePlot, type PngImage, type RenderOptions } from './render.js';
export {
  predictedGapSpec, sparsityGapSpec, splitSsrSpec, zetaKappaSpec, type GapPlotPoint, type PredictionPoint,
} from './gap-figures.js';
export { ablationCurvesSpec, renderAblationCurvesPng, type ClassCurves, type CurvesOptions } from './curves.js';
export { writeFitPlots, type FitPlotInput } from './fit-plots.js';
