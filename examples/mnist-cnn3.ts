// The setup the demo and `bench:monitor` share, and that the shipped gap model was fit on: bundled
// MNIST split as the 'mnist-cnn3' sweep splits it, the reference CNN (cnn3) trained with the sweep's
// recipe (SGD, momentum 0.9, its learning rate and batch size), batches in a seeded order.
import * as tf from '@tensorflow/tfjs-core';
import * as tfd from '@tensorflow/tfjs-data';
import type * as tfl from '@tensorflow/tfjs-layers';
import {
  compileCnn3, corruptLabels, createRng, DEFAULT_RECIPE, GRID_PRESETS, loadMnist, type Dataset,
} from '../src/index.js';

/** Data sizes, seed, stopping accuracy and probe samples of the shipped gap model's sweep. */
export const SWEEP_SETTINGS = GRID_PRESETS['mnist-cnn3'].settings;
export const RECIPE = DEFAULT_RECIPE;

export function loadDemoData(): Dataset {
  return loadMnist({ seed: SWEEP_SETTINGS.dataSeed, trainSize: SWEEP_SETTINGS.trainSize, testSize: SWEEP_SETTINGS.testSize });
}

export function buildDemoModel(seed: number): tfl.LayersModel {
  const { optimizer, learningRate, momentum } = RECIPE;
  return compileCnn3({ seed }, { optimizer, learningRate, momentum });
}

/** The labels a run trains on: `corruption` of them replaced by a random class (seeded). */
export function trainingLabels(dataset: Dataset, corruption: number, seed: number): Int32Array {
  return corruptLabels(dataset.train.labels, corruption, dataset.numClasses, seed);
}

/**
 * Batches of (x, one-hot y) in a fresh seeded order every epoch, as the sweep trains (tfjs' own
 * `shuffle` uses Math.random, so two runs would differ).
 */
export function trainingBatches(x: tf.Tensor, targets: tf.Tensor2D, seed: number): tfd.Dataset<tf.TensorContainer> {
  const n = x.shape[0];
  const rng = createRng(`demo-epochs:${seed}`);
  const all = Array.from({ length: n }, (_, i) => i);
  return tfd.generator(function* epoch() {
    const order = rng.shuffle(all);
    for (let start = 0; start < n; start += RECIPE.batchSize) {
      const batch = order.slice(start, start + RECIPE.batchSize);
      yield tf.tidy(() => {
        const indices = tf.tensor1d(batch, 'int32');
        return { xs: tf.gather(x, indices), ys: tf.gather(targets, indices) };
      });
    }
  });
}

/** Batches per epoch, for progress bars. */
export const batchesPerEpoch = (n: number) => Math.ceil(n / RECIPE.batchSize);
