// `sparsity-gap fit`: a gap model from reference runs (the sweep's JSON lines), with the paper's
// held-out checks, a mid-training check for live use, and the paper's figures beside the model.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { readJsonLines } from '../util/json-lines.js';
import { writeFitPlots, type ClassCurves } from '../plots/index.js';
import {
  compareMidTraining, fitGapModel, predictGap, saveGapModel, validateSplits,
  type ArchitectureFingerprint, type GapModel, type GapPoint, type MidTrainingComparison, type SplitValidation,
} from '../regression/index.js';

/** The fields of a sweep record the fit reads; only zeta, kappa and gap are required. */
interface RunLine extends GapPoint {
  id: string;
  dataset?: string;
  architecture?: string;
  layer?: string;
  units?: number;
  numClasses?: number;
  inputShape?: number[];
  config?: { optimizer?: string; corruption?: number };
  settings?: { samplesPerClass?: number; probeEvery?: number };
  /** Probes during training; the last one is the end of training (as the sweep writes it). */
  trajectory?: (GapPoint & { epoch: number })[];
  perClass?: ClassCurves[];
}

export interface FitOptions {
  runs: string;
  out: string;
  points?: 'final' | 'trajectory';
  /** Fit only the runs trained with this optimizer (config.optimizer). */
  optimizer?: string;
  repeats?: number;
  testFraction?: number;
  seed?: number;
  plots?: boolean;
  log?: (line: string) => void;
}

export interface FitResult {
  model: GapModel;
  validation: SplitValidation;
  midTraining: MidTrainingComparison | null;
  files: string[];
}

function checkNumber(where: string, field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${where}: ${field} must be a finite number, got ${JSON.stringify(value)}`);
}

/** Complete lines of a runs file; a last line without its newline is an unfinished write and is skipped. */
function readRunLines(path: string, log: (line: string) => void = () => {}): RunLine[] {
  const { entries, tornBytes } = readJsonLines(path);
  if (tornBytes > 0) log(`skipped an unfinished last line of ${path} (${tornBytes} bytes)`);
  return entries.map(({ line, value }) => {
    const where = `${path}:${line}`;
    const run = value as RunLine;
    for (const f of ['zeta', 'kappa', 'gap'] as const) checkNumber(where, f, run[f]);
    (run.trajectory ?? []).forEach((p, j) => {
      for (const f of ['zeta', 'kappa', 'gap'] as const) checkNumber(where, `trajectory[${j}].${f}`, p[f]);
    });
    return { ...run, id: run.id ?? `line-${line}` };
  });
}

/** The one value every run has for a field; several values are an error (a gap model is for one setting). */
function common<T>(runs: RunLine[], what: string, get: (r: RunLine) => T | undefined, hint: string): T | undefined {
  const counts = new Map<string, { value: T; n: number }>();
  for (const r of runs) {
    const value = get(r);
    if (value === undefined) continue;
    const key = JSON.stringify(value);
    counts.set(key, { value, n: (counts.get(key)?.n ?? 0) + 1 });
  }
  if (counts.size > 1) {
    throw new Error(`the runs have several ${what}s (${[...counts].map(([k, { n }]) => `${k}: ${n}`).join(', ')}); ${hint}`);
  }
  return [...counts.values()][0]?.value;
}

function fingerprintOf(runs: RunLine[]): ArchitectureFingerprint | undefined {
  const separately = 'fit them separately';
  const layer = common(runs, 'layer', (r) => r.layer, separately);
  const units = common(runs, 'unit count', (r) => r.units, separately);
  const numClasses = common(runs, 'class count', (r) => r.numClasses, separately);
  const inputShape = common(runs, 'input shape', (r) => r.inputShape, separately);
  const architecture = common(runs, 'architecture', (r) => r.architecture, separately);
  const optimizer = common(runs, 'optimizer', (r) => r.config?.optimizer, 'pick one with --optimizer');
  if (layer === undefined || units === undefined || numClasses === undefined || inputShape === undefined) return undefined;
  return { layer, units, numClasses, inputShape, ...(architecture ? { architecture } : {}), ...(optimizer ? { optimizer } : {}) };
}

/** Example curves: the first two probed classes of the runs with the smallest, median and largest gap. */
function exampleCurves(runs: RunLine[]): ClassCurves[] {
  const withCurves = runs.filter((r) => r.perClass?.some((c) => Array.isArray(c.curve))).sort((a, b) => a.gap - b.gap);
  if (withCurves.length === 0) return [];
  const picks = [...new Set([0, Math.floor((withCurves.length - 1) / 2), withCurves.length - 1])].map((i) => withCurves[i]);
  return picks.flatMap((r) => r.perClass!.slice(0, 2).map((c) => ({
    ...c,
    label: `gap ${r.gap.toFixed(2)}${r.config?.corruption === undefined ? '' : `, corruption ${r.config.corruption}`}, class ${c.classIndex}`,
  })));
}

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');
const f4 = (x: number) => x.toFixed(4);

export async function runFit(options: FitOptions): Promise<FitResult> {
  const { points: kind = 'final', repeats = 100, testFraction = 0.1, seed = 0, plots = true, log = console.log } = options;
  if (!options.out.endsWith('.json')) throw new Error(`--out must name a .json file, got '${options.out}'`);
  const all = readRunLines(options.runs, log);
  const runs = options.optimizer === undefined ? all : all.filter((r) => r.config?.optimizer === options.optimizer);
  if (runs.length === 0) throw new Error(`no runs in ${options.runs}${options.optimizer ? ` with optimizer '${options.optimizer}'` : ''}`);
  const midTrainingOf = (r: RunLine) => (r.trajectory ?? []).slice(0, -1);
  if (kind === 'trajectory' && !runs.some((r) => midTrainingOf(r).length > 0)) {
    throw new Error('--points trajectory needs runs with mid-training probes (a trajectory of 2 or more points); none has them');
  }
  const point = (p: GapPoint, run: string, stage: string) => ({ zeta: p.zeta, kappa: p.kappa, gap: p.gap, run, stage });
  const fitPoints = runs.flatMap((r) => [
    ...(kind === 'final' ? [] : midTrainingOf(r).map((p) => point(p, r.id, 'mid-training'))),
    point(r, r.id, 'final'),
  ]);

  const text = readFileSync(options.runs);
  const probe = runs[0].settings;
  const model = fitGapModel(fitPoints, {
    points: kind,
    runs: runs.length,
    dataset: common(runs, 'dataset', (r) => r.dataset, 'fit them separately'),
    fingerprint: fingerprintOf(runs),
    ...(probe ? { probe: { samplesPerClass: probe.samplesPerClass, probeEvery: probe.probeEvery, classesPerProbe: runs[0].numClasses } } : {}),
    source: {
      file: options.runs, sha256: createHash('sha256').update(text).digest('hex'),
      ...(options.optimizer ? { optimizer: options.optimizer } : {}),
    },
  });
  const validation = validateSplits(fitPoints, { repeats, testFraction, seed, groups: fitPoints.map((p) => p.run) });
  const midTraining = compareMidTraining(
    runs.map((r) => ({ id: r.id, final: r, midTraining: midTrainingOf(r) })), { repeats, testFraction, seed });
  model.provenance.validation = {
    repeats, testFraction, seed, splitBy: 'run', testRuns: validation.testRuns,
    ssr: validation.ssr, rmse: validation.rmse, pearson: validation.pearson,
  };
  if (midTraining) model.provenance.midTraining = midTraining;

  log(`${options.runs}: ${runs.length} runs, ${kind} points, n = ${model.fit.n}`);
  log(`gap = ${f4(model.a)}·ζ ${model.b < 0 ? '−' : '+'} ${f4(Math.abs(model.b))}·κ ${model.c < 0 ? '−' : '+'} ${f4(Math.abs(model.c))}`);
  log(`fit: n ${model.fit.n}, Pearson r ${f3(model.fit.pearson)}, SSR ${f4(model.fit.ssr)}, rmse ${f4(model.fit.rmse)}`);
  log(`held out, ${repeats} splits by run (${validation.testRuns} runs each): SSR max ${f4(validation.ssr.max)}, `
    + `median ${f4(validation.ssr.median)}, mean ${f4(validation.ssr.mean)}; rmse median ${f4(validation.rmse.median)}`);
  if (midTraining) {
    const m = midTraining;
    log(`mid-training points of held-out runs (${m.splitsScored} splits, ${m.points} points): rmse of a trajectory model `
      + `${f4(m.trajectoryModel.pooledRmse)} (median over splits ${f4(m.trajectoryModel.rmse.median)}), of a final-points model `
      + `${f4(m.finalModel.pooledRmse)} (median ${f4(m.finalModel.rmse.median)})`);
  }
  saveGapModel(options.out, model);
  log(`wrote ${options.out}`);

  let files: string[] = [];
  if (plots) {
    files = await writeFitPlots(options.out.slice(0, -'.json'.length), {
      networks: runs,
      predictions: fitPoints.map((p) => ({ gap: p.gap, predicted: predictGap(model, p), ...(kind === 'trajectory' ? { group: p.stage } : {}) })),
      splitSsrs: validation.splits.map((s) => s.ssr),
      examples: exampleCurves(runs),
      chance: runs[0].numClasses ? 1 / runs[0].numClasses : undefined,
    });
    log(`wrote ${files.filter((f) => f.endsWith('.png')).length} plots (SVG and PNG) beside it`);
  }
  return { model, validation, midTraining, files };
}

const bounded = (name: string, min: number, max: number, integer: boolean) => (text: string) => {
  const n = Number(text);
  if (!(n >= min && n <= max) || (integer && !Number.isInteger(n))) {
    throw new InvalidArgumentError(`${name} must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got '${text}'`);
  }
  return n;
};

export function register(program: Command): void {
  program.command('fit')
    .description('Fit a gap model (gap = a·ζ + b·κ + c) to reference runs and write it with its figures.')
    .argument('<runs>', 'JSON lines of reference runs, as `sparsity-gap sweep` writes them')
    .requiredOption('--out <file>', 'gap model to write, e.g. config/gap-models/mnist-cnn3.json (plots go beside it)')
    .addOption(new Option('--points <kind>', 'fit the end of training only, or every probe of the trajectory')
      .choices(['final', 'trajectory']).default('final'))
    .option('--optimizer <name>', 'fit only the runs trained with this optimizer (config.optimizer)')
    .option('--repeats <n>', 'random held-out splits', bounded('--repeats', 1, 1e6, true), 100)
    .option('--test-fraction <p>', 'fraction of runs held out per split', bounded('--test-fraction', 0.01, 0.99, false), 0.1)
    .option('--seed <n>', 'seed of the splits', bounded('--seed', 0, 2 ** 31, true), 0)
    .option('--no-plots', 'write the model only')
    .action(async (runs: string, flags: Omit<FitOptions, 'runs' | 'log'>, command: Command) => {
      try {
        await runFit({ ...flags, runs });
      } catch (error) {
        command.error(`error: ${(error as Error).message}`);
      }
    });
}
