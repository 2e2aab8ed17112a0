import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { createOptimizer, disposeTrainedModel, type TrainingRecipe } from '../../src/index.js';

async function trainTiny(recipe: TrainingRecipe): Promise<tfl.LayersModel> {
  const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [3], units: 2, activation: 'softmax' })] });
  model.compile({ optimizer: createOptimizer(recipe), loss: 'categoricalCrossentropy' });
  const x = tf.ones([4, 3]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 0, 1], 'int32'), 2));
  await model.fit(x, y, { epochs: 2, verbose: 0 });
  tf.dispose([x, y]);
  return model;
}

describe('disposeTrainedModel', () => {
  for (const recipe of [
    { optimizer: 'sgd', momentum: 0.9 },
    { optimizer: 'sgd' },
    { optimizer: 'adam' },
  ] as TrainingRecipe[]) {
    it(`frees the model and its ${recipe.optimizer}${recipe.momentum ? ' + momentum' : ''} optimizer entirely`, async () => {
      const before = tf.memory().numTensors;
      disposeTrainedModel(await trainTiny(recipe));
      expect(tf.memory().numTensors).to.equal(before);
    });
  }

});
