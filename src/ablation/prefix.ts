// The exact cumulative-sum path of METHOD.md "Cost". When the target feeds, through layers that act
// per channel and keep zeros at zero, a linear mixing layer (Dense, 1x1 Conv2D), zeroing units only
// removes their contributions from that layer's pre-activation. All M + 1 masked pre-activations of an
// order are then sums of contributions over the units still active; the rest of the head runs once.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { elementsPerSample, evaluate, type HeadGraph, type Layer } from './graph.js';
import { boundaryFeeds, countCorrect, readCounts, sampleChunks, sliceRows, type ClassProbe } from './chunks.js';

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
 * E and E_r through cumulative sums over the units' contributions to the mixing layer's
 * pre-activation. With the units in removal order R and the bias as one more unit at both ends,
 * T = [b, C_R0, ..., C_R(M-1), b]:
 *   - the reverse inclusive sum at index n + 1 is b + Σ_{k>=n} C_Rk, the pre-activation with the
 *     first n units of R removed, n = 0..M (E);
 *   - the forward inclusive sum at index m is b + Σ_{k<m} C_Rk, the pre-activation with only the
 *     first m units of R kept, i.e. the first M - m units of R_r removed (E_r(M - m)).
 * One contribution tensor serves both orders. The contributions are one depthwise convolution
 * (each unit's inputs times its own slice of the mixing kernel), a kernel every backend runs fast;
 * the rest of the head then runs once on the M + 2 sums of each direction.
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
  const forward: tf.Tensor1D[] = [];
  const reverse: tf.Tensor1D[] = [];
  const index = tf.tensor1d([M, ...orders[0], M], 'int32'); // channel M of the unit table is the bias unit
  try {
    for (const [start, size] of sampleChunks(S, 4 * 2 * G * plan.restElements, maxBytes)) {
      const [f, r] = tf.tidy(() => {
        let q = sliceRows(target, start, size);
        for (const node of plan.chain) q = node.outboundLayer.apply(q, { ...node.callArgs, training: false }) as tf.Tensor;
        // 'flatten': each output mixes F = positions x 1 inputs per unit; 'pointwise': one per unit and position.
        const flatten = plan.mode === 'flatten';
        const positions = flatten ? [] : q.shape.slice(1, -1);
        const P = positions.reduce((a, d) => a * d, 1);
        const F = flatten ? q.size / (size * M) : 1;
        const biasInput = tf.pad(tf.ones([size * P, 1, 1, 1]), [[0, 0], [0, 0], [0, F - 1], [0, 0]]);
        const inputs = tf.gather(tf.concat([tf.reshape(q, [size * P, 1, F, M]), biasInput], 3), index, 3) as tf.Tensor4D;
        const biasKernel = tf.pad(tf.reshape(bias ?? tf.zeros([outWidth]), [1, 1, 1, outWidth]), [[0, 0], [0, F - 1], [0, 0], [0, 0]]);
        const weights = tf.gather(tf.concat([tf.reshape(kernel, [1, F, M, outWidth]), biasKernel], 2), index, 2) as tf.Tensor4D;
        const contributions = tf.reshape(tf.depthwiseConv2d(inputs, weights, 1, 'valid'), [size, P, G, outWidth]);
        const feeds = boundaryFeeds(probe, start, size, G, 'sample-major');
        return [false, true].map((reversed) => {
          const sums = tf.cumsum(contributions, 2, false, reversed);
          let z = tf.reshape(P > 1 ? tf.transpose(sums, [0, 2, 1, 3]) : sums, [size * G, ...positions, outWidth]);
          if (activation) z = activation.apply(z) as tf.Tensor;
          feeds.set(plan.mixingOutput.id, z);
          return countCorrect(evaluate([graph.output], feeds)[0], G, probe.classIndex, 'sample-major');
        });
      });
      forward.push(f);
      reverse.push(r);
    }
  } catch (e) {
    tf.dispose([...forward, ...reverse]);
    throw e;
  } finally {
    index.dispose();
  }
  const [kept, removed] = await Promise.all([readCounts(forward), readCounts(reverse)]);
  const curve = Array.from({ length: M + 1 }, (_, n) => removed[n + 1] / S);
  const reverseCurve = Array.from({ length: M + 1 }, (_, n) => kept[M - n] / S);
  return [curve, reverseCurve];
}
