// Vega-Lite spec → Vega view (headless, no canvas) → SVG → PNG through resvg. resvg draws text only
// with a font it can find: system fonts by default (DejaVu Sans on Debian-like systems), or the files
// the caller names.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export interface RenderOptions {
  /** PNG pixels per SVG unit. Default 2. */
  scale?: number;
  /** Font files to use in addition to the system's (for machines without fonts). */
  fontFiles?: string[];
}

export interface PngImage {
  png: Uint8Array;
  width: number;
  height: number;
}

export const FONT_FAMILY = 'DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif';

/** Shared look of every figure. */
export const PLOT_CONFIG = {
  font: FONT_FAMILY,
  background: 'white',
  view: { stroke: '#ccc' },
  title: { fontSize: 14 },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
};

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const fontOptions = (fontFiles: string[]) =>
  ({ loadSystemFonts: true, fontFiles, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' });

let fontChecked = false;

/** resvg silently leaves text out when it finds no font: say so once instead of shipping bare plots. */
function warnIfNoFont(fontFiles: string[]): void {
  if (fontChecked) return;
  fontChecked = true;
  const probe = `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><text x="2" y="16" font-size="16" font-family="${FONT_FAMILY}">Ag</text></svg>`;
  const { pixels } = new Resvg(probe, { font: fontOptions(fontFiles) }).render();
  if (!pixels.some((v, i) => i % 4 === 3 && v > 0)) {
    console.warn('sparsity-gap-monitor plots: no font found, text will be missing; install one (e.g. fonts-dejavu-core) or pass fontFiles');
  }
}

export function svgToPng(svg: string, options: RenderOptions = {}): PngImage {
  const { scale = 2, fontFiles = [] } = options;
  if (!(scale > 0)) throw new Error(`scale must be a positive number, got ${scale}`);
  warnIfNoFont(fontFiles);
  const resvg = new Resvg(svg, { fitTo: { mode: 'zoom', value: scale }, font: fontOptions(fontFiles) });
  const image = resvg.render();
  return { png: new Uint8Array(image.asPng()), width: image.width, height: image.height };
}

export async function renderPng(spec: TopLevelSpec, options: RenderOptions = {}): Promise<PngImage> {
  return svgToPng(await renderSvg(spec), options);
}

/** Writes `<base>.svg` and `<base>.png`; returns both paths. */
export async function writePlot(base: string, spec: TopLevelSpec, options: RenderOptions = {}): Promise<string[]> {
  const svg = await renderSvg(spec);
  mkdirSync(dirname(base), { recursive: true });
  writeFileSync(`${base}.svg`, svg);
  writeFileSync(`${base}.png`, svgToPng(svg, options).png);
  return [`${base}.svg`, `${base}.png`];
}
