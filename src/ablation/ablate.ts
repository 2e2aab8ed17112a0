// cumulativeAblation: per probed class, rank the target layer's units, compute the cumulative
// ablation curves E and E_r (METHOD.md) with the chosen strategy, and reduce them to ζ and κ.
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs-layers';
import { createRng } from '../util/random.js';
import { sampleIndicesByClass } from '../data/sampling.js';
import { evaluate, splitAtLayer, type HeadGraph } from './graph.js';
import { resolveTargetLayer } from './target-layer.js';
import { labelsToClassIndices } from './labels.js';
import { keyQuantities } from './key-quantities.js';
import { maskedCurves } from './batched.js';
import { planPrefix, prefixCurves, type PrefixPlan } from './prefix.js';
import { sampleChunks, type ClassProbe } from './chunks.js';
import {
  checkClasses, checkOptions, DEFAULT_MAX_BATCH_BYTES,
  type AblationOptions, type AblationResult, type ClassAblation,
} from './options.js';

const shapeText = (shape: readonly (number | null)[]) => `[${shape.map((d) => d ?? 'null').join(', ')}]`;

/** Whether a batch of shape `batchShape` can be fed to an input of shape `inputShape` (batch axis first). */
export function fitsInput(inputShape: readonly (number | null)[], batchShape: readonly number[]): boolean {
  return batchShape.length === inputShape.length && inputShape.every((d, i) => i === 0 || d === null || d === batchShape[i]);
}

function checkData(graph: HeadGraph, data: { x: tf.Tensor; y: tf.Tensor }): void {
  if (!(data?.x instanceof tf.Tensor) || !(data?.y instanceof tf.Tensor)) {
    throw new Error('data: must be { x: Tensor, y: Tensor }');
  }
  const { x, y } = data;
  if (x.shape[0] === 0 || x.size === 0) throw new Error(`data.x: empty (shape ${shapeText(x.shape)})`);
  const expected = graph.input.shape;
  if (!fitsInput(expected, x.shape)) {
    throw new Error(`data.x: shape ${shapeText(x.shape)} does not fit the model input ${shapeText(expected)}`);
  }
  if (y.shape[0] !== x.shape[0]) throw new Error(`data.y: ${y.shape[0]} labels for ${x.shape[0]} samples in data.x`);
}

/** The target output and the other head inputs for the given samples, in chunks under the bound. */
function runTrunk(graph: HeadGraph, x: tf.Tensor, indices: number[], maxBytes: number): Omit<ClassProbe, 'classIndex' | 'orders'> {
  const fetches: SymbolicTensor[] = [graph.target, ...graph.boundaries];
  const parts: tf.Tensor[][] = [];
  try {
    for (const [start, size] of sampleChunks(indices.length, 4 * graph.trunkElements, maxBytes)) {
      parts.push(tf.tidy(() => {
        const xs = tf.gather(x, tf.tensor1d(indices.slice(start, start + size), 'int32'));
        return evaluate(fetches, new Map([[graph.input.id, xs]]));
      }));
    }
    const [target, ...rest] = tf.tidy(() => fetches.map((_, k) => tf.concat(parts.map((p) => p[k]))));
    return { target, boundaries: new Map(graph.boundaries.map((b, k) => [b.id, rest[k]])) };
  } finally {
    tf.dispose(parts.flat());
  }
}

/** Units by descending score (mean or mean |.| over samples and positions), ties lower index first. */
async function rankUnits(target: tf.Tensor, score: 'mean' | 'l1'): Promise<number[]> {
  const scores = tf.tidy(() => {
    const axes = target.shape.slice(0, -1).map((_, i) => i);
    return tf.mean(score === 'l1' ? tf.abs(target) : target, axes);
  });
  const h = await scores.data();
  scores.dispose();
  return Array.from(h.keys()).sort((a, b) => h[b] - h[a] || a - b);
}

async function allFinite(t: tf.Tensor): Promise<boolean> {
  const ok = tf.tidy(() => tf.all(tf.isFinite(t)));
  try {
    return (await ok.data())[0] === 1;
  } finally {
    ok.dispose();
  }
}

/**
 * Cumulative unit ablation of one layer (METHOD.md): for each probed class j, the accuracy curves
 * E(n) and E_r(n) on the class's training samples as its units are zeroed in descending and
 * ascending score order, the turning points n0, n0r, and ζ_j, κ_j; ζ and κ are their means.
 *
 * `data.y` holds the labels the model was trained on, one-hot `[N, K]` or integer `[N]`.
 */
export async function cumulativeAblation(
  model: LayersModel,
  data: { x: tf.Tensor; y: tf.Tensor },
  options: AblationOptions = {},
): Promise<AblationResult> {
  const started = performance.now();
  checkOptions(options);
  const layer = resolveTargetLayer(model, options.layer);
  const graph = splitAtLayer(model, layer);
  if (graph.output.rank !== 2) throw new Error(`model '${model.name}' output ${shapeText(graph.output.shape)} is not [N, K] class scores`);
  const numClasses = graph.output.shape[1]!;
  const units = graph.target.shape[graph.target.rank - 1]!;
  checkData(graph, data);
  const classChoice = checkClasses(options.classes, numClasses);
  const requested = options.strategy ?? 'auto';
  let plan: PrefixPlan | undefined;
  if (requested === 'auto' || requested === 'prefix') {
    const planned = planPrefix(graph);
    if (typeof planned === 'string' && requested === 'prefix') throw new Error(`strategy: 'prefix' does not apply to this head: ${planned}`);
    plan = typeof planned === 'string' ? undefined : planned;
  }
  const strategy = plan ? 'prefix' : requested === 'auto' ? 'batched' : (requested as 'batched' | 'stepwise');
  const chance = options.chance ?? 1 / numClasses;
  const maxBytes = options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;

  const labels = await labelsToClassIndices(data.y, numClasses);
  const rng = createRng(options.seed ?? 0);
  const classes = Array.isArray(classChoice)
    ? classChoice
    : rng.sample(Array.from({ length: numClasses }, (_, j) => j), classChoice.sample).sort((a, b) => a - b);
  const picked = sampleIndicesByClass(labels, numClasses, classes, rng, options.samplesPerClass);

  const perClass: ClassAblation[] = [];
  const skipped: AblationResult['skipped'] = [];
  let trunkMs = 0;
  let curvesMs = 0;
  for (const classIndex of classes) {
    const indices = picked.get(classIndex)!;
    if (indices.length === 0) {
      skipped.push({ classIndex, reason: `no samples labelled ${classIndex} in data.y` });
      continue;
    }
    const trunkStart = performance.now();
    const { target, boundaries } = runTrunk(graph, data.x, indices, maxBytes);
    try {
      const finite = await allFinite(target);
      const curvesStart = performance.now();
      trunkMs += curvesStart - trunkStart;
      if (!finite) {
        skipped.push({ classIndex, reason: `non-finite activations in layer '${layer.name}'` });
        continue;
      }
      const order = await rankUnits(target, options.score ?? 'mean');
      const probe: ClassProbe = { classIndex, target, boundaries, orders: [order, order.slice().reverse()] };
      const [curve, reverseCurve] = plan
        ? await prefixCurves(graph, plan, probe, maxBytes)
        : await maskedCurves(graph, probe, maxBytes, strategy === 'stepwise' ? 1 : undefined);
      curvesMs += performance.now() - curvesStart;
      if (options.normalizeKappa && curve[0] === 0) {
        skipped.push({ classIndex, reason: 'training accuracy E(0) is 0, so normalizeKappa cannot divide by it' });
        continue;
      }
      const { n0, n0r, zeta, kappa } = keyQuantities(curve, reverseCurve, { chance, normalizeKappa: options.normalizeKappa });
      perClass.push({
        classIndex, samples: indices.length, trainAccuracy: curve[0], n0, n0r, zeta, kappa, curve, reverseCurve, order,
      });
    } finally {
      target.dispose();
      tf.dispose([...boundaries.values()]);
    }
  }
  const mean = (values: number[]) => (values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length);
  return {
    layer: layer.name, units, numClasses, chance, strategy,
    zeta: mean(perClass.map((c) => c.zeta)), kappa: mean(perClass.map((c) => c.kappa)),
    perClass, skipped,
    timings: { trunkMs, curvesMs, totalMs: performance.now() - started },
  };
}
