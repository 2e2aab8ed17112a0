// The sweep: plan (grid, shard, resume), run with bounded concurrency, append one line per finished
// run, show progress. The output file is the only state, so a stopped sweep resumes by running again.
import cliProgress from 'cli-progress';
import pLimit from 'p-limit';
import type { BackendPreference } from '../backend/index.js';
import { resolveArchitecture } from './architecture.js';
import { gridPreset, parseShard, runId, selectShard, type GridPreset, type RunConfig, type Shard, type SweepSettings } from './grid.js';
import { closeRunContext, openRunContext, type SweepJob } from './job.js';
import { SweepSetupError, WorkerPool } from './pool.js';
import { appendRecord, dropTornLine, readRecords, type RunRecord } from './record.js';
import { trainReferenceRun } from './train.js';

export interface SweepOptions {
  /** 'mnist' (bundled) or 'idx:<dir>'. */
  dataset: string;
  /** The JSONL file; runs already in it are skipped. */
  out: string;
  /** A preset name ('mnist-cnn3', 'paper', 'tiny') or a preset object. Default 'mnist-cnn3'. */
  grid?: string | GridPreset;
  /** Overrides of the preset's settings (data sizes, stopping rule, probe). */
  settings?: Partial<SweepSettings>;
  /** Overrides the epoch cap of every run. */
  maxEpochs?: number;
  /** 'cnn3' or the path of an architecture module. Default 'cnn3'. */
  architecture?: string;
  /** Runs at once. Default 1. More than 1 needs `isolate`. */
  concurrency?: number;
  /**
   * Train in worker processes, each with its own tfjs engine (default true). False trains in this
   * process on its current backend, one run at a time.
   */
  isolate?: boolean;
  /** Backend of the worker processes. Default 'auto'. */
  backend?: BackendPreference;
  /** Only this shard of the grid ("i/n" or parsed). */
  shard?: string | Shard;
  /** A progress bar with ETA on stderr. Default false. */
  progress?: boolean;
  /** Aborting stops the sweep: workers are ended, only complete lines stay in the file. */
  signal?: AbortSignal;
  /** Called after each record is written. */
  onRecord?(record: RunRecord): void;
}

export interface SweepSummary {
  /** Runs of the grid (shard) this call was asked for. */
  planned: number;
  /** Of those, already in the file. */
  alreadyDone: number;
  completed: RunRecord[];
  failed: { id: string; message: string }[];
  interrupted: boolean;
  /** Bytes of an incomplete last line found and dropped before appending. */
  droppedTornBytes: number;
}

/** Plans the runs of a sweep: the grid, restricted to a shard, with every setting applied. */
export function planRuns(options: Pick<SweepOptions, 'grid' | 'shard' | 'maxEpochs' | 'settings'>): { runs: RunConfig[]; settings: SweepSettings } {
  const preset = typeof options.grid === 'object' ? options.grid : gridPreset(options.grid ?? 'mnist-cnn3');
  const settings = { ...preset.settings, ...options.settings };
  checkSettings(settings);
  if (options.maxEpochs !== undefined && !(Number.isInteger(options.maxEpochs) && options.maxEpochs >= 1)) {
    throw new Error(`maxEpochs must be a positive integer, got ${options.maxEpochs}`);
  }
  let runs = options.maxEpochs === undefined ? preset.runs : preset.runs.map((r) => ({ ...r, epochs: options.maxEpochs! }));
  if (options.shard !== undefined) runs = selectShard(runs, typeof options.shard === 'string' ? parseShard(options.shard) : options.shard);
  return { runs, settings };
}

function checkSettings(s: SweepSettings): void {
  for (const key of ['trainSize', 'testSize', 'probeEvery', 'samplesPerClass'] as const) {
    if (!(Number.isInteger(s[key]) && s[key] >= 1)) throw new Error(`${key} must be a positive integer, got ${s[key]}`);
  }
  if (!Number.isInteger(s.dataSeed)) throw new Error(`dataSeed must be an integer, got ${s.dataSeed}`);
  if (!(s.targetAccuracy > 0 && s.targetAccuracy <= 1)) throw new Error(`targetAccuracy must be in (0, 1], got ${s.targetAccuracy}`);
}

export async function runSweep(options: SweepOptions): Promise<SweepSummary> {
  const { out, signal } = options;
  const concurrency = options.concurrency ?? 1;
  const isolate = options.isolate ?? true;
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new Error(`concurrency must be a positive integer, got ${concurrency}`);
  if (!isolate && concurrency > 1) throw new Error(`concurrency ${concurrency} needs worker processes (isolate: true): one tfjs engine trains one run at a time`);
  const { runs, settings } = planRuns(options);
  const job: SweepJob = { dataset: options.dataset, architecture: options.architecture ?? 'cnn3', settings };

  const { name: architecture } = await resolveArchitecture(job.architecture);
  const existing = readRecords(out);
  const done = new Set<string>();
  for (const record of existing.records) {
    checkSameSweep(record, job, architecture, out);
    done.add(record.id);
  }
  dropTornLine(out, existing);
  const todo = runs.filter((r) => !done.has(runId(r)));
  const summary: SweepSummary = {
    planned: runs.length, alreadyDone: runs.length - todo.length, completed: [], failed: [],
    interrupted: false, droppedTornBytes: existing.tornBytes,
  };
  if (todo.length === 0) return summary;

  const bar = options.progress ? new cliProgress.SingleBar({
    format: 'sweep [{bar}] {value}/{total} runs | {duration_formatted} elapsed | ETA {eta_formatted} | {last}',
    etaBuffer: Math.max(4, 2 * concurrency), noTTYOutput: true, notTTYSchedule: 30_000, hideCursor: true,
  }, cliProgress.Presets.shades_classic) : undefined;
  bar?.start(todo.length, 0, { last: `${summary.alreadyDone} already in ${out}` });

  const pool = isolate ? new WorkerPool(concurrency, options.backend ?? 'auto') : undefined;
  const context = isolate ? undefined : await openRunContext(job);
  const limit = pLimit(concurrency);
  let setupError: SweepSetupError | undefined;
  const onAbort = () => {
    summary.interrupted = true;
    // Queued runs see the abort when they start and return at once; running ones lose their worker.
    pool?.kill();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await Promise.all(todo.map((config) => limit(async () => {
      if (signal?.aborted || setupError) return;
      try {
        const record = pool ? await pool.run(job, config) : await trainReferenceRun(config, context!);
        if (signal?.aborted) return;
        appendRecord(out, record);
        summary.completed.push(record);
        options.onRecord?.(record);
        bar?.increment({ last: `${record.id}: gap ${record.gap.toFixed(3)} ζ ${record.zeta.toFixed(3)} κ ${record.kappa.toFixed(3)}` });
      } catch (err) {
        if (signal?.aborted || setupError) return;
        if (err instanceof SweepSetupError) {
          setupError = err;
          pool?.kill();
          return;
        }
        summary.failed.push({ id: runId(config), message: (err as Error).message });
        bar?.increment({ last: `${runId(config)} FAILED` });
      }
    })));
  } finally {
    signal?.removeEventListener('abort', onAbort);
    bar?.stop();
    pool?.close();
    if (context) closeRunContext(context);
  }
  if (setupError) throw setupError;
  return summary;
}

/** One file is one population for the fit: every run in it shares dataset, architecture and settings. */
function checkSameSweep(record: RunRecord, job: SweepJob, architecture: string, out: string): void {
  const keys = Object.keys(job.settings) as (keyof SweepSettings)[];
  const mismatch = record.dataset !== job.dataset ? `dataset ${record.dataset}`
    : record.architecture !== architecture ? `architecture ${record.architecture}`
      : keys.some((k) => record.settings?.[k] !== job.settings[k]) ? `settings ${JSON.stringify(record.settings)}`
        : undefined;
  if (mismatch) {
    throw new Error(`${out} holds run ${record.id} made with ${mismatch}; this sweep uses dataset ${job.dataset}, `
      + `architecture ${architecture}, settings ${JSON.stringify(job.settings)}: write to another --out`);
  }
}
