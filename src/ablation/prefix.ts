// The exact cumulative-sum path of METHOD.md "Cost". When the target feeds, through layers that act
// per channel and keep zeros at zero, a linear mixing layer (Dense, 1x1 Conv2D), zeroing units only
// removes their contributions from that layer's pre-activation. All M + 1 masked pre-activations of an
// order are then sums of contributions over the units still active; the rest of the head runs once.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { elementsPerSample, evaluate, type HeadGraph, type Layer } from './graph.js';
import { boundaryFeeds, countCorrect, readCounts, sampleChunks, sliceRows, type ClassProbe, type RowLayout } from './chunks.js';

type GraphNode = Layer['inboundNodes'][number];

/** Layers that act on each channel alone and map an all-zero channel to zeros (in inference mode). */
const PER_CHANNEL = new Set([
  'MaxPooling2D', 'AveragePooling2D', 'GlobalMaxPooling2D', 'GlobalAveragePooling2D', 'Flatten',
  'Dropout', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout', 'ZeroPadding2D', 'Cropping2D',
  'ReLU', 'LeakyReLU', 'ELU', 'ThresholdedReLU', 'PReLU',
]);

/** An elementwise activation keeps zeros iff f(0) = 0; [1, 2] also rules out (log-)softmax. */
const activationKeepsZero = (name: unknown): boolean =>
  typeof name === 'string' &&
  tf.tidy(() => (tfl.layers.activation({ activation: name as 'relu' }).apply(tf.zeros([1, 2])) as tf.Tensor).dataSync().every((v) => v === 0));

function keepsZerosPerChannel(layer: Layer): boolean {
  const config = layer.getConfig();
  if (config.dataFormat === 'channelsFirst') return false;
  const name = layer.getClassName();
  return PER_CHANNEL.has(name) || (name === 'Activation' && activationKeepsZero(config.activation));
}

export interface PrefixPlan {
  /** Layer calls between the target and the mixing layer, in order. */
  chain: GraphNode[];
  mixing: Layer;
  /** 'flatten': Dense over flattened [positions x M] features; 'pointwise': per position over M. */
  mode: 'flatten' | 'pointwise';
  mixingOutput: SymbolicTensor;
  /** Largest tensor (elements per sample) from the mixing output on. */
  restElements: number;
}

const single = <T>(items: T[] | undefined): T | undefined => (items?.length === 1 ? items[0] : undefined);

/** The prefix plan for this head, or the reason it does not qualify. */
export function planPrefix(graph: HeadGraph): PrefixPlan | string {
  const chain: GraphNode[] = [];
  let t = graph.target;
  for (;;) {
    const node = single(graph.consumers.get(t.id));
    if (node === undefined || node.inputTensors.length !== 1 || node.outputTensors.length !== 1) {
      const uses = graph.consumers.get(t.id)?.length ?? 0;
      return `'${t.sourceLayer.name}' output is taken by ${uses} layer calls before any Dense or 1x1 Conv2D (needs exactly one single-input call)`;
    }
    const layer = node.outboundLayer;
    const config = layer.getConfig();
    const name = layer.getClassName();
    const is1x1 = name === 'Conv2D' && config.dataFormat !== 'channelsFirst' &&
      String(config.kernelSize) === '1,1' && String(config.strides) === '1,1';
    if (name === 'Dense' || is1x1) {
      const mixingOutput = node.outputTensors[0];
      return {
        chain, mixing: layer, mixingOutput, restElements: elementsFrom(graph, mixingOutput),
        mode: name === 'Dense' && t.rank === 2 ? 'flatten' : 'pointwise',
      };
    }
    if (!keepsZerosPerChannel(layer)) {
      return `'${layer.name}' (${name}) between the target and the first Dense / 1x1 Conv2D is not a per-channel, zero-keeping layer`;
    }
    chain.push(node);
    t = node.outputTensors[0];
  }
}

/** Largest per-sample size of `from` and of every head tensor computed from it. */
function elementsFrom(graph: HeadGraph, from: SymbolicTensor): number {
  let most = 0;
  const seen = new Set<number>();
  const stack = [from];
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (seen.has(t.id)) continue;
    seen.add(t.id);
    most = Math.max(most, elementsPerSample(t));
    for (const node of graph.consumers.get(t.id) ?? []) stack.push(...node.outputTensors);
  }
  return most;
}

/**
 * Both formulations below are exact; which is faster depends on the backend (bench:ablation, M = 256):
 * wasm runs depthwise convolutions through XNNPACK (20 ms) but batched matmuls in a plain loop
 * (95 ms); TensorFlow the reverse (depthwise 66 ms, batched matmul 7 ms, and a triangular matmul
 * beats its cumsum, 22 vs 70 ms). The pure-JS cpu backend favours the O(M) cumulative sums too.
 */
const BY_CONVOLUTION = new Set(['wasm', 'cpu']);

/**
 * E and E_r through cumulative sums over the units' contributions to the mixing layer's
 * pre-activation. With the units in removal order R and the bias as one more unit at both ends,
 * T = [b, C_R0, ..., C_R(M-1), b] (G = M + 2 terms):
 *   - the forward inclusive sum at index m is b + Σ_{k<m} C_Rk, the pre-activation with only the
 *     first m units of R kept, i.e. the first M - m units of R_r removed: E_r(M - m);
 *   - the reverse inclusive sum at index n + 1 is b + Σ_{k>=n} C_Rk, the pre-activation with the
 *     first n units of R removed: E(n).
 * One contribution tensor serves both orders, and the rest of the head runs once on the 2G sums.
 */
export async function prefixCurves(
  graph: HeadGraph, plan: PrefixPlan, probe: ClassProbe, maxBytes: number,
): Promise<[number[], number[]]> {
  const { target, orders } = probe;
  const S = target.shape[0];
  const M = target.shape[target.rank - 1];
  const G = M + 2;
  const config = plan.mixing.getConfig();
  const [kernel, bias] = plan.mixing.getWeights();
  const activation = config.activation === 'linear' ? undefined : tfl.layers.activation({ activation: config.activation as 'relu' });
  const outWidth = kernel.shape[kernel.rank - 1];
  const byConvolution = BY_CONVOLUTION.has(tf.getBackend());
  const counts: tf.Tensor1D[] = [];
  const [index, triangles] = tf.tidy(() => [
    tf.tensor1d([M, ...orders[0], M], 'int32'), // unit M of the unit table is the bias unit
    byConvolution ? undefined : triangularSums(G),
  ]);
  try {
    for (const [start, size] of sampleChunks(S, 4 * 2 * G * plan.restElements, maxBytes)) {
      counts.push(tf.tidy(() => {
        let q = sliceRows(target, start, size);
        for (const node of plan.chain) q = node.outboundLayer.apply(q, { ...node.callArgs, training: false }) as tf.Tensor;
        // 'flatten': each output mixes F = positions inputs per unit; 'pointwise': one per unit and position.
        const flatten = plan.mode === 'flatten';
        const positions = flatten ? [] : q.shape.slice(1, -1);
        const rows = size * positions.reduce((a, d) => a * d, 1);
        const F = flatten ? q.size / (size * M) : 1;
        // the unit table: [rows, F, M + 1] inputs and [F, M + 1, outWidth] weights, the bias as unit M
        const unitInputs = tf.concat([tf.reshape(q, [rows, F, M]), tf.pad(tf.ones([rows, 1, 1]), [[0, 0], [0, F - 1], [0, 0]])], 2);
        const biasWeights = tf.pad(tf.reshape(bias ?? tf.zeros([outWidth]), [1, 1, outWidth]), [[0, F - 1], [0, 0], [0, 0]]);
        const unitWeights = tf.concat([tf.reshape(kernel, [F, M, outWidth]), biasWeights], 1);
        const run = (z: tf.Tensor, groups: number, layout: RowLayout) => {
          let pre = tf.reshape(z, [groups * size, ...positions, outWidth]);
          if (activation) pre = activation.apply(pre) as tf.Tensor;
          const feeds = boundaryFeeds(probe, start, size, groups, layout);
          feeds.set(plan.mixingOutput.id, pre);
          return countCorrect(evaluate([graph.output], feeds)[0], groups, probe.classIndex, layout);
        };
        if (byConvolution) {
          // contributions [rows, G, outWidth] (sample-major): each unit's inputs times its own weights
          const inputs = tf.gather(tf.reshape(unitInputs, [rows, 1, F, M + 1]), index, 3) as tf.Tensor4D;
          const weights = tf.gather(tf.reshape(unitWeights, [1, F, M + 1, outWidth]), index, 2) as tf.Tensor4D;
          const contributions = tf.reshape(tf.depthwiseConv2d(inputs, weights, 1, 'valid'), [size, -1, G, outWidth]);
          const sums = [false, true].map((reverse) => {
            const sum = tf.cumsum(contributions, 2, false, reverse);
            return positions.length > 0 ? tf.transpose(sum, [0, 2, 1, 3]) : sum;
          });
          return tf.concat(sums.map((z) => run(z, G, 'sample-major')));
        }
        // contributions [G, rows * outWidth] (unit-major), then both sums as one matmul
        const inputs = tf.gather(tf.transpose(unitInputs, [2, 0, 1]), index);
        const weights = tf.gather(tf.transpose(unitWeights, [1, 0, 2]), index);
        const contributions = tf.reshape(tf.matMul(inputs, weights), [G, -1]);
        return run(tf.matMul(triangles!, contributions), 2 * G, 'group-major');
      }));
    }
  } catch (e) {
    tf.dispose(counts);
    throw e;
  } finally {
    tf.dispose([index, triangles!].filter(Boolean));
  }
  const correct = await readCounts(counts);
  const curve = Array.from({ length: M + 1 }, (_, n) => correct[G + n + 1] / S);
  const reverseCurve = Array.from({ length: M + 1 }, (_, n) => correct[M - n] / S);
  return [curve, reverseCurve];
}

/** [2G, G]: rows 0..G-1 sum terms 0..j (forward inclusive), rows G..2G-1 terms j..G-1 (reverse). */
function triangularSums(G: number): tf.Tensor2D {
  const i = tf.reshape(tf.range(0, G), [1, G]);
  const j = tf.reshape(tf.range(0, G), [G, 1]);
  return tf.cast(tf.concat([tf.lessEqual(i, j), tf.greaterEqual(i, j)]), 'float32') as tf.Tensor2D;
}
