// Time of one training epoch of the reference CNN (cnn3) on MNIST-shaped random data, per backend.
// npm exec tsx bench/backends.ts -- [--backends tensorflow,wasm,cpu] [--samples 2000] [--batch 64]
//   [--cpu-batches 3] [--json]
// The cpu backend is timed on a few batches and extrapolated to the epoch (it is ~100x slower).
// Each backend runs in its own process, so that loading tfjs-node does not affect the others.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '../src/backend/index.js';
import { compileCnn3 } from '../src/models/cnn.js';

interface Figure {
  backend: BackendName;
  samples: number;
  batchSize: number;
  /** Batches actually timed (after one untimed warm-up batch). */
  timedBatches: number;
  /** Seconds per epoch of `samples` (measured, or extrapolated from timedBatches). */
  epochSeconds: number;
  extrapolated: boolean;
}

async function measure(backend: BackendName, samples: number, batchSize: number, limitBatches?: number): Promise<Figure> {
  await initBackend(backend, { quiet: true });
  const model = compileCnn3({ seed: 1 }, { optimizer: 'sgd', learningRate: 0.01, momentum: 0.9 });
  const batches = Math.ceil(samples / batchSize);
  const timed = Math.min(batches, limitBatches ?? batches);
  const x = tf.randomUniform([timed * batchSize, 28, 28, 1], 0, 1, 'float32', 1);
  const labels = tf.randomUniform([timed * batchSize], 0, 10, 'int32', 2);
  const y = tf.oneHot(labels, 10);
  const warm = [tf.slice(x, 0, batchSize), tf.slice(y, 0, batchSize)] as const;
  await model.fit(warm[0], warm[1], { batchSize, epochs: 1, verbose: 0 });
  const start = performance.now();
  await model.fit(x, y, { batchSize, epochs: 1, verbose: 0, shuffle: false });
  const seconds = (performance.now() - start) / 1000;
  tf.dispose([x, labels, y, ...warm]);
  model.dispose();
  return {
    backend, samples, batchSize, timedBatches: timed,
    epochSeconds: seconds * (batches / timed), extrapolated: timed < batches,
  };
}

const { values } = parseArgs({
  options: {
    backends: { type: 'string', default: 'tensorflow,wasm,cpu' },
    samples: { type: 'string', default: '2000' },
    batch: { type: 'string', default: '64' },
    'cpu-batches': { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
    child: { type: 'string' },
  },
});
const samples = Number(values.samples);
const batchSize = Number(values.batch);
const cpuBatches = Number(values['cpu-batches']);

if (values.child !== undefined) {
  const backend = values.child as BackendName;
  const figure = await measure(backend, samples, batchSize, backend === 'cpu' ? cpuBatches : undefined);
  console.log(JSON.stringify(figure));
} else {
  const figures: Figure[] = [];
  for (const backend of values.backends!.split(',')) {
    const args = ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', backend,
      '--samples', String(samples), '--batch', String(batchSize), '--cpu-batches', String(cpuBatches)];
    try {
      const out = execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      const figure = JSON.parse(out.trim().split('\n').at(-1)!) as Figure;
      figures.push(figure);
      console.log(`${backend.padEnd(10)} ${figure.epochSeconds.toFixed(2).padStart(8)} s/epoch ` +
        `(${samples} samples, batch ${batchSize}${figure.extrapolated ? `, extrapolated from ${figure.timedBatches} batches` : ''})`);
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? String(error);
      const reason = stderr.split('\n').filter((l) => /^\w*Error\b/.test(l.trim())).at(-1) ?? stderr.trim().slice(0, 300);
      console.log(`${backend.padEnd(10)} unavailable: ${reason.trim()}`);
    }
  }
  if (values.json) console.log(JSON.stringify({ figures }));
}
