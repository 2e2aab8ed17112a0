// Datasets by the name a CLI flag or a gap model's provenance gives.
import type { Dataset, LoadOptions } from './dataset.js';
import { loadIdx } from './idx.js';
import { loadMnist } from './mnist.js';

/** 'mnist' (bundled) or 'idx:<dir>' (MNIST-format files in dir, e.g. idx:/usr/share/datasets/fashion-mnist). */
export function loadDataset(name: string, options: LoadOptions = {}): Dataset {
  if (name === 'mnist') return loadMnist(options);
  if (name.startsWith('idx:') && name.length > 4) return loadIdx(name.slice(4), options);
  throw new Error(`dataset must be 'mnist' or 'idx:<dir>', got '${name}'`);
}
