// The exact cumulative-sum path of METHOD.md "Cost". When the target feeds, through layers that act
// per channel and keep zeros at zero, a linear mixing layer (Dense, 1x1 Conv2D), zeroing units only
// removes their contributions from that layer's pre-activation. All M + 1 masked pre-activations of an
// order are then sums of contributions over the units still active; the rest of the head runs once.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { evaluate, type HeadGraph, type Layer } from './graph.js';
import { boundaryFeeds, countCorrect, readCurves, sampleChunks, sliceRows, type ClassProbe } from './chunks.js';

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
    most = Math.max(most, t.shape.slice(1).reduce<number>((a, d) => a * (d ?? 1), 1));
    for (const node of graph.consumers.get(t.id) ?? []) stack.push(...node.outputTensors);
  }
  return most;
}

/** E and E_r through the cumulative sums. */
export async function prefixCurves(
  graph: HeadGraph, plan: PrefixPlan, probe: ClassProbe, maxBytes: number,
): Promise<[number[], number[]]> {
  const { target, orders } = probe;
  const S = target.shape[0];
  const M = target.shape[target.rank - 1];
  const groups = 2 * (M + 1);
  const config = plan.mixing.getConfig();
  const [kernel, bias] = plan.mixing.getWeights();
  const activation = config.activation === 'linear' ? undefined : tfl.layers.activation({ activation: config.activation as 'relu' });
  const outWidth = kernel.shape[kernel.rank - 1];
  const bytesPerSample = 4 * groups * plan.restElements;
  const counts: tf.Tensor1D[] = [];
  const unitOrder = tf.tensor1d([...orders[0], ...orders[1]], 'int32');
  try {
    for (const [start, size] of sampleChunks(S, bytesPerSample, maxBytes)) {
      counts.push(tf.tidy(() => {
        let q = sliceRows(target, start, size);
        for (const node of plan.chain) q = node.outboundLayer.apply(q, { ...node.callArgs, training: false }) as tf.Tensor;
        // Contributions of each unit: [M, size, ...positions, outWidth].
        let contributions: tf.Tensor;
        let positions: number[];
        if (plan.mode === 'flatten') {
          positions = [];
          const F = q.size / (size * M);
          const perUnit = tf.transpose(tf.reshape(q, [size, F, M]), [2, 0, 1]);
          const weights = tf.transpose(tf.reshape(kernel, [F, M, outWidth]), [1, 0, 2]);
          contributions = tf.matMul(perUnit, weights);
        } else {
          positions = q.shape.slice(1, -1);
          const perUnit = tf.reshape(tf.transpose(tf.reshape(q, [-1, M])), [M, -1, 1]);
          contributions = tf.mul(perUnit, tf.reshape(kernel, [M, 1, outWidth]));
        }
        // Sums over the units still active (suffixes in removal order) rather than the full sum minus
        // the removed ones: the same numbers, without cancellation when most units are off.
        const ordered = tf.reshape(tf.gather(contributions, unitOrder), [2, M, ...contributions.shape.slice(1)]);
        const active = tf.cumsum(ordered, 1, false, true);
        let z = tf.concat([active, tf.zerosLike(tf.slice(active, [0, 0], [2, 1]))], 1);
        if (bias) z = tf.add(z, bias);
        z = tf.reshape(z, [groups * size, ...positions, outWidth]);
        if (activation) z = activation.apply(z) as tf.Tensor;
        const feeds = boundaryFeeds(probe, start, size, groups);
        feeds.set(plan.mixingOutput.id, z);
        return countCorrect(evaluate([graph.output], feeds)[0], groups, probe.classIndex);
      }));
    }
  } catch (e) {
    tf.dispose(counts);
    throw e;
  } finally {
    unitOrder.dispose();
  }
  return readCurves(counts, M, S);
}
