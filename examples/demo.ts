// PRELIMINARY demo, replaced by the monitor demo.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/index.js';

const backend = await initBackend('auto');
console.log(`backend: ${backend}; tfjs ${tf.version_core}`);
