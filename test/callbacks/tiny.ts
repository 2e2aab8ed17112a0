// A tiny conv net and a learnable toy task (a bright patch whose position is the class), small enough
// that a fit of a few epochs with probes takes well under a second on wasm.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { createRng } from '../../src/util/random.js';

export const K = 3;
export const SIDE = 8;

export interface TinyData {
  x: tf.Tensor4D;
  y: tf.Tensor2D;
  labels: number[];
}

/** n images; class c has a 3x3 patch at corner c (top-left, top-right, bottom-left), plus noise. */
export function tinyData(n: number, seed = 0): TinyData {
  const rng = createRng(`tiny-data:${seed}`);
  const labels = Array.from({ length: n }, (_, i) => i % K);
  const pixels = new Float32Array(n * SIDE * SIDE);
  labels.forEach((c, i) => {
    for (let p = 0; p < SIDE * SIDE; p++) pixels[i * SIDE * SIDE + p] = 0.2 * rng.next();
    const [r0, c0] = [[0, 0], [0, SIDE - 3], [SIDE - 3, 0]][c];
    for (let r = 0; r < 3; r++) for (let q = 0; q < 3; q++) pixels[i * SIDE * SIDE + (r0 + r) * SIDE + c0 + q] = 1;
  });
  return {
    x: tf.tensor4d(pixels, [n, SIDE, SIDE, 1]),
    y: tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), K), 'float32') as tf.Tensor2D),
    labels,
  };
}

/** conv 'c1' (4 units, the target layer) → pool → flatten → dense softmax over K classes. */
export function tinyModel(seed = 1): tfl.LayersModel {
  const model = tfl.sequential({ name: 'tiny' });
  model.add(tfl.layers.conv2d({
    name: 'c1', inputShape: [SIDE, SIDE, 1], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu',
    kernelInitializer: tfl.initializers.glorotUniform({ seed }),
  }));
  model.add(tfl.layers.maxPooling2d({ name: 'pool', poolSize: 2 }));
  model.add(tfl.layers.flatten({ name: 'flat' }));
  model.add(tfl.layers.dense({ name: 'out', units: K, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }) }));
  model.compile({ optimizer: tf.train.sgd(0.5), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** A logger that keeps what the monitor says. */
export function recordingLogger() {
  const lines: { level: 'log' | 'warn'; line: string }[] = [];
  return {
    lines,
    log: (line: string) => void lines.push({ level: 'log', line }),
    warn: (line: string) => void lines.push({ level: 'warn', line }),
  };
}
