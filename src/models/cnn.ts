// The reference CNN shared by the demo, the benchmarks and the shipped MNIST sweep: the one the
// issue's pre-check measured in the paper's direction under SGD with momentum. Its gap model
// (config/gap-models/mnist-cnn3.json) is only valid for this exact architecture.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

export const CNN3_ARCHITECTURE = 'cnn3';
/** The layer the probe ablates (the last convolution, M = 64 units). */
export const CNN3_TARGET_LAYER = 'conv3';

export interface Cnn3Options {
  inputShape?: [number, number, number];
  numClasses?: number;
  /** Dropout rate after the dense layer (0 = none). */
  dropout?: number;
  /** L2 weight decay on conv and dense kernels (0 = none). */
  l2?: number;
  /** Batch normalization after conv1 and conv2 (never after the target layer). */
  batchNorm?: boolean;
  /** Seed of the weight initializers. */
  seed?: number;
}

/** conv(32)-pool-conv(64)-pool-conv(64, target)-pool-flatten-dense(256)-[dropout]-dense(K). */
export function buildCnn3(options: Cnn3Options = {}): tfl.Sequential {
  const { inputShape = [28, 28, 1], numClasses = 10, dropout = 0, l2 = 0, batchNorm = false, seed = 0 } = options;
  const regularizer = () => (l2 > 0 ? tfl.regularizers.l2({ l2 }) : undefined);
  let s = seed * 7919;
  const init = () => tfl.initializers.glorotUniform({ seed: ++s });
  const model = tfl.sequential({ name: CNN3_ARCHITECTURE });
  const conv = (name: string, filters: number, first = false) =>
    tfl.layers.conv2d({
      name, filters, kernelSize: 3, padding: 'same', activation: 'relu',
      kernelInitializer: init(), kernelRegularizer: regularizer(),
      ...(first ? { inputShape } : {}),
    });
  model.add(conv('conv1', 32, true));
  if (batchNorm) model.add(tfl.layers.batchNormalization({ name: 'bn1' }));
  model.add(tfl.layers.maxPooling2d({ name: 'pool1', poolSize: 2 }));
  model.add(conv('conv2', 64));
  if (batchNorm) model.add(tfl.layers.batchNormalization({ name: 'bn2' }));
  model.add(tfl.layers.maxPooling2d({ name: 'pool2', poolSize: 2 }));
  model.add(conv(CNN3_TARGET_LAYER, 64));
  model.add(tfl.layers.maxPooling2d({ name: 'pool3', poolSize: 2 }));
  model.add(tfl.layers.flatten({ name: 'flatten' }));
  model.add(tfl.layers.dense({
    name: 'dense1', units: 256, activation: 'relu', kernelInitializer: init(), kernelRegularizer: regularizer(),
  }));
  if (dropout > 0) model.add(tfl.layers.dropout({ name: 'dropout1', rate: dropout, seed: ++s }));
  model.add(tfl.layers.dense({
    name: 'logits', units: numClasses, activation: 'softmax', kernelInitializer: init(), kernelRegularizer: regularizer(),
  }));
  return model;
}

export interface TrainingRecipe {
  optimizer: 'sgd' | 'adam';
  learningRate?: number;
  /** SGD momentum (ignored by Adam). */
  momentum?: number;
}

export function createOptimizer(recipe: TrainingRecipe): tf.Optimizer {
  if (recipe.optimizer === 'adam') return tf.train.adam(recipe.learningRate ?? 1e-3);
  const lr = recipe.learningRate ?? 0.01;
  return (recipe.momentum ?? 0) > 0 ? tf.train.momentum(lr, recipe.momentum!) : tf.train.sgd(lr);
}

/** Builds and compiles the reference CNN for a recipe; it trains on one-hot labels. */
export function compileCnn3(options: Cnn3Options, recipe: TrainingRecipe): tfl.Sequential {
  const model = buildCnn3(options);
  model.compile({ optimizer: createOptimizer(recipe), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
