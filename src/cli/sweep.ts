// `sparsity-gap sweep`: trains the reference networks of a grid and writes one JSON line per run.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { GRID_PRESETS, planRuns, runId, runSweep, type SweepSettings } from '../sweep/index.js';
import type { BackendPreference } from '../backend/index.js';

const integer = (min: number) => (text: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`must be an integer >= ${min}, got '${text}'`);
  return n;
};
const fraction = (text: string) => {
  const n = Number(text);
  if (!(n > 0 && n <= 1)) throw new InvalidArgumentError(`must be a number in (0, 1], got '${text}'`);
  return n;
};

interface SweepFlags {
  dataset: string; out: string; grid: string; architecture: string; concurrency: number; shard?: string;
  backend: BackendPreference; maxEpochs?: number; trainSize?: number; testSize?: number; dataSeed?: number;
  targetAccuracy?: number; probeEvery?: number; samplesPerClass?: number; progress: boolean; dryRun?: boolean;
}

export function register(program: Command): void {
  program.command('sweep')
    .description('Train reference networks (label corruption x training recipe) and write one JSON line per run; '
      + 'runs already in --out are skipped, so rerunning resumes.')
    .option('--dataset <name>', "'mnist' (bundled) or 'idx:<dir>'", 'mnist')
    .requiredOption('--out <file>', 'JSONL file to append runs to, e.g. data/reference-runs/mnist-cnn3.jsonl')
    .addOption(new Option('--grid <preset>', 'grid preset').choices(Object.keys(GRID_PRESETS)).default('mnist-cnn3'))
    .option('--architecture <name|module>', "'cnn3' or the path of a module exporting { name, targetLayer, build }", 'cnn3')
    .option('--concurrency <n>', 'runs at once, each in its own worker process', integer(1), 1)
    .option('--shard <i/n>', 'only shard i of n (1-based) of the grid, e.g. for a cluster')
    .addOption(new Option('--backend <name>', 'backend of the workers').choices(['auto', 'tensorflow', 'wasm', 'cpu']).default('auto'))
    .option('--max-epochs <n>', "override every run's epoch cap", integer(1))
    .option('--train-size <n>', "override the preset's number of training images", integer(1))
    .option('--test-size <n>', "override the preset's number of held-out images", integer(1))
    .option('--data-seed <n>', "override the preset's train/test split seed", integer(0))
    .option('--target-accuracy <p>', "override the training accuracy that ends a run", fraction)
    .option('--probe-every <n>', 'override the epochs between trajectory probes', integer(1))
    .option('--samples-per-class <n>', 'override the training samples per class the probe ablates', integer(1))
    .option('--no-progress', 'no progress bar')
    .option('--dry-run', 'list the runs that would be trained, and exit')
    .addHelpText('after', `\nGrid presets:\n${Object.entries(GRID_PRESETS)
      .map(([name, p]) => `  ${name} (${p.runs.length} runs): ${p.description}`).join('\n')}`)
    .action(async (flags: SweepFlags, command: Command) => {
      try {
        await sweep(flags);
      } catch (err) {
        command.error(`error: ${(err as Error).message}`);
      }
    });
}

async function sweep(flags: SweepFlags): Promise<void> {
  const settings: Partial<SweepSettings> = Object.fromEntries(Object.entries({
    trainSize: flags.trainSize, testSize: flags.testSize, dataSeed: flags.dataSeed,
    targetAccuracy: flags.targetAccuracy, probeEvery: flags.probeEvery, samplesPerClass: flags.samplesPerClass,
  }).filter(([, v]) => v !== undefined));
  const options = {
    dataset: flags.dataset, out: flags.out, grid: flags.grid, architecture: flags.architecture,
    concurrency: flags.concurrency, shard: flags.shard, backend: flags.backend, maxEpochs: flags.maxEpochs, settings,
  };
  if (flags.dryRun) {
    const plan = planRuns(options);
    console.log(JSON.stringify(plan.settings));
    for (const run of plan.runs) console.log(runId(run));
    return;
  }
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const started = Date.now();
  const summary = await runSweep({ ...options, progress: flags.progress, signal: controller.signal });
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  console.log(`${summary.completed.length} runs written to ${flags.out} in ${minutes} min `
    + `(${summary.alreadyDone} of ${summary.planned} were already there, ${summary.failed.length} failed)`);
  if (summary.droppedTornBytes > 0) console.log(`dropped an incomplete last line (${summary.droppedTornBytes} bytes)`);
  // The first lines of the worker's stack say where; the rest is tfjs internals.
  for (const f of summary.failed) console.error(`run ${f.id} failed: ${f.message.split('\n').slice(0, 6).join('\n')}`);
  if (summary.interrupted) {
    console.log('interrupted: the file holds only complete runs; run the same command again to resume');
    process.exitCode = 130;
  } else if (summary.failed.length > 0) {
    process.exitCode = 1;
  }
}
