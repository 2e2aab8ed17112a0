// The in-memory dataset every loader returns: images as one [N, H, W, C] float tensor per split,
// labels as plain integers so that corruption, sampling and one-hot encoding need no tensors.
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../util/random.js';

export interface Split {
  /** Images, [N, H, W, C], float32 in [0, 1]. */
  x: tf.Tensor4D;
  /** Class of each image, 0..numClasses-1. */
  labels: Int32Array;
  /** Position of each image in its source (see the loader), to trace and reproduce a split. */
  sourceIndex: Int32Array;
}

export interface Dataset {
  /** The name `loadDataset` accepts for it ('mnist', 'idx:<dir>'): recorded in gap-model provenance. */
  name: string;
  train: Split;
  test: Split;
  numClasses: number;
}

export interface LoadOptions {
  /** Seed of the train/test choice. Default 0. */
  seed?: number;
  /** Number of training images. Default: see the loader. */
  trainSize?: number;
  /** Number of test images. Default: see the loader. */
  testSize?: number;
}

/** Flat pixels (row-major, one image after the other) with their labels and image shape. */
export interface RawImages {
  pixels: Float32Array;
  labels: Int32Array;
  shape: [number, number, number];
}

export function checkSize(option: string, value: number | undefined, max: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`${option} must be an integer in 1..${max}, got ${value}`);
  }
}

/** The images at `indices` as a split (one tensor, owned by the caller). */
export function makeSplit(source: RawImages, indices: readonly number[]): Split {
  const [h, w, c] = source.shape;
  const size = h * w * c;
  const pixels = new Float32Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  indices.forEach((src, i) => {
    pixels.set(source.pixels.subarray(src * size, (src + 1) * size), i * size);
    labels[i] = source.labels[src];
  });
  return { x: tf.tensor4d(pixels, [indices.length, h, w, c]), labels, sourceIndex: Int32Array.from(indices) };
}

/** `k` of the source positions 0..n-1, drawn without replacement, in random order. */
export function seededChoice(n: number, k: number, seed: number | string): number[] {
  return createRng(seed).sample(Array.from({ length: n }, (_, i) => i), k);
}

/** Frees the tensors of a dataset. */
export function disposeDataset(dataset: Dataset): void {
  tf.dispose([dataset.train.x, dataset.test.x]);
}

/**
 * One-hot float32 targets [N, K]. Unlike tf.oneHot, which writes an all-zero row for a label out of
 * range, a bad label is an error here: a silent zero target would train on nothing.
 */
export function oneHot(labels: ArrayLike<number>, numClasses: number): tf.Tensor2D {
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new Error(`numClasses must be a positive integer, got ${numClasses}`);
  const out = new Float32Array(labels.length * numClasses);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= numClasses) throw new Error(`label ${y} at index ${i} is outside 0..${numClasses - 1}`);
    out[i * numClasses + y] = 1;
  }
  return tf.tensor2d(out, [labels.length, numClasses]);
}
