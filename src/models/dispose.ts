// A model compiled with an optimizer object does not own it, so `model.dispose()` alone leaves the
// optimizer's variables behind; every place that trains and discards a model frees both here.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** Frees a model and the optimizer it was compiled with. */
export function disposeTrainedModel(model: tfl.LayersModel): void {
  const optimizer = model.optimizer;
  model.dispose();
  optimizer?.dispose();
  // tfjs-core 4.22's MomentumOptimizer.dispose() skips the learning-rate scalar of SGDOptimizer.
  const rate = (optimizer as unknown as { c?: tf.Tensor }).c;
  if (optimizer instanceof tf.MomentumOptimizer && rate && !rate.isDisposed) rate.dispose();
}
