export { disposeDataset, oneHot, type Dataset, type LoadOptions, type Split } from './dataset.js';
export { loadMnist, MNIST_SIZE } from './mnist.js';
export { loadIdx, parseIdx, type IdxArray } from './idx.js';
export { corruptLabels } from './corruption.js';
export { loadDataset } from './load.js';
export { indicesByClass, sampleIndicesByClass } from './sampling.js';
