import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';

describe('test harness', () => {
  it('runs on the backend SGM_BACKEND selects', () => {
    const expected = process.env.SGM_BACKEND === 'tensorflow' ? 'tensorflow' : (process.env.SGM_BACKEND ?? 'wasm');
    expect(tf.getBackend()).to.equal(expected);
  });
});
