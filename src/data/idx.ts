// MNIST-format IDX files (LeCun's format, also used by Fashion-MNIST, e.g. Debian's
// `dataset-fashion-mnist` in /usr/share/datasets/fashion-mnist), raw or gzip-compressed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { checkSize, makeSplit, seededChoice, type Dataset, type LoadOptions, type RawImages } from './dataset.js';

const UNSIGNED_BYTE = 0x08;

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** Parses one IDX file (unsigned-byte data only, the type every MNIST-format image and label file uses). */
export function parseIdx(bytes: Uint8Array, name = 'IDX data'): IdxArray {
  const gz = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  const buf = gz ? new Uint8Array(gunzipSync(bytes)) : bytes;
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0) throw new Error(`${name}: not an IDX file (the first two bytes must be 0)`);
  if (buf[2] !== UNSIGNED_BYTE) throw new Error(`${name}: IDX data type 0x${buf[2].toString(16)} is not supported (only 0x08, unsigned byte)`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const rank = buf[3];
  const header = 4 + 4 * rank;
  if (buf.length < header) throw new Error(`${name}: truncated header`);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const count = dims.reduce((a, b) => a * b, 1);
  if (buf.length - header !== count) {
    throw new Error(`${name}: dims [${dims.join(', ')}] need ${count} bytes of data, the file has ${buf.length - header}`);
  }
  return { dims, data: buf.subarray(header) };
}

/** The file for one part ('train' | 't10k', 'images' | 'labels') in `dir`, under any of its usual names. */
function findPart(dir: string, prefix: string, kind: 'images' | 'labels'): string {
  const rank = kind === 'images' ? 3 : 1;
  const names = [`${prefix}-${kind}-idx${rank}-ubyte`, `${prefix}-${kind}.idx${rank}-ubyte`].flatMap((n) => [n, `${n}.gz`]);
  const found = names.map((n) => join(dir, n)).find((p) => existsSync(p));
  if (!found) throw new Error(`loadIdx: no ${prefix} ${kind} in ${dir} (looked for ${names.join(', ')})`);
  return found;
}

function readImages(dir: string, prefix: string): RawImages {
  const imagesPath = findPart(dir, prefix, 'images');
  const labelsPath = findPart(dir, prefix, 'labels');
  const images = parseIdx(readFileSync(imagesPath), imagesPath);
  const labels = parseIdx(readFileSync(labelsPath), labelsPath);
  if (images.dims.length !== 3 && images.dims.length !== 4) {
    throw new Error(`${imagesPath}: images need 3 or 4 dims [N, H, W(, C)], got [${images.dims.join(', ')}]`);
  }
  if (labels.dims.length !== 1 || labels.dims[0] !== images.dims[0]) {
    throw new Error(`${labelsPath}: labels dims [${labels.dims.join(', ')}] do not match ${images.dims[0]} images in ${imagesPath}`);
  }
  const [, h, w, c = 1] = images.dims;
  const pixels = new Float32Array(images.data.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images.data[i] / 255;
  return { pixels, labels: Int32Array.from(labels.data), shape: [h, w, c] };
}

/**
 * The train (`train-*`) and test (`t10k-*`) sets of an MNIST-format directory, pixels scaled to
 * [0, 1]. Defaults: every image of each file. With trainSize/testSize, a seeded sample of that many
 * from each file. `sourceIndex` is the position in the file. The caller owns the tensors.
 * @example const ds = loadIdx('/usr/share/datasets/fashion-mnist', { trainSize: 5000, testSize: 1000 });
 */
export function loadIdx(dir: string, options: LoadOptions = {}): Dataset {
  const { seed = 0 } = options;
  const train = readImages(dir, 'train');
  const test = readImages(dir, 't10k');
  if (train.shape.join() !== test.shape.join()) {
    throw new Error(`loadIdx: train images are ${train.shape.join('x')} but test images are ${test.shape.join('x')} in ${dir}`);
  }
  checkSize('trainSize', options.trainSize, train.labels.length);
  checkSize('testSize', options.testSize, test.labels.length);
  const trainIdx = seededChoice(train.labels.length, options.trainSize ?? train.labels.length, `idx-train:${seed}`);
  const testIdx = seededChoice(test.labels.length, options.testSize ?? test.labels.length, `idx-test:${seed}`);
  let maxLabel = 0;
  for (const l of [...train.labels, ...test.labels]) maxLabel = Math.max(maxLabel, l);
  return { name: `idx:${dir}`, train: makeSplit(train, trainIdx), test: makeSplit(test, testIdx), numClasses: maxLabel + 1 };
}
