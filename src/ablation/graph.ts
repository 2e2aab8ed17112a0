// The model's graph split at the target layer: the trunk (everything the target does not feed) runs
// once per probe sample; the head (everything downstream of the target) is re-run on masked copies of
// the target's output. Layers are called with `apply` on concrete tensors in inference mode, so any
// layer tfjs can run works, including nested models used as layers.
import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs-layers';

export type Layer = LayersModel['layers'][number];
type GraphNode = Layer['inboundNodes'][number];

export interface HeadGraph {
  input: SymbolicTensor;
  output: SymbolicTensor;
  /** The target layer's output in this model. */
  target: SymbolicTensor;
  /** Tensors computed before the target that head layers also take (e.g. a residual shortcut). */
  boundaries: SymbolicTensor[];
  /** For each tensor the head takes, the head layer calls that take it. */
  consumers: Map<number, GraphNode[]>;
  /** Largest activation (elements per sample) in the trunk and in the head (target included). */
  trunkElements: number;
  headElements: number;
}

const producer = (t: SymbolicTensor): GraphNode => t.sourceLayer.inboundNodes[t.nodeIndex];

/** Tensors the layer call producing `t` takes; none for a model input (whose node lists itself). */
const inputsOf = (t: SymbolicTensor): SymbolicTensor[] => {
  const node = producer(t);
  return node.inboundLayers.length === 0 ? [] : node.inputTensors;
};

/** Elements of one sample's slice of `t` (unknown dimensions count as 1). */
export const elementsPerSample = (t: SymbolicTensor): number =>
  t.shape.slice(1).reduce<number>((a, d) => a * (d ?? 1), 1);

/** Splits `model` at `layer` (one of its top-level layers, applied once in the model). */
export function splitAtLayer(model: LayersModel, layer: Layer): HeadGraph {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new Error(
      `model '${model.name}' has ${model.inputs.length} inputs and ${model.outputs.length} outputs; the ablation needs one of each`,
    );
  }
  const [input] = model.inputs;
  const [output] = model.outputs;
  const tensors = new Map<number, SymbolicTensor>();
  const stack = [output];
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (tensors.has(t.id)) continue;
    tensors.set(t.id, t);
    stack.push(...inputsOf(t));
  }
  const targets = [...tensors.values()].filter((t) => t.sourceLayer === layer);
  if (targets.length !== 1) {
    throw new Error(
      targets.length === 0
        ? `layer: '${layer.name}' does not lie on the path from the input to the output of model '${model.name}'`
        : `layer: '${layer.name}' is applied ${targets.length} times in model '${model.name}'; ablating a shared layer is ambiguous`,
    );
  }
  const [target] = targets;

  const downstream = new Map<number, boolean>();
  const isHead = (t: SymbolicTensor): boolean => {
    let known = downstream.get(t.id);
    if (known === undefined) {
      known = t.id === target.id || inputsOf(t).some(isHead);
      downstream.set(t.id, known);
    }
    return known;
  };
  const consumers = new Map<number, GraphNode[]>();
  const boundaries = new Map<number, SymbolicTensor>();
  let trunkElements = 0;
  let headElements = 0;
  const headNodes = new Set<GraphNode>();
  for (const t of tensors.values()) {
    if (!isHead(t)) {
      trunkElements = Math.max(trunkElements, elementsPerSample(t));
      continue;
    }
    headElements = Math.max(headElements, elementsPerSample(t));
    if (t.id !== target.id) headNodes.add(producer(t));
  }
  for (const node of headNodes) {
    for (const t of node.inputTensors) {
      if (!isHead(t)) boundaries.set(t.id, t);
      consumers.set(t.id, [...(consumers.get(t.id) ?? []), node]);
    }
  }
  return { input, output, target, boundaries: [...boundaries.values()], consumers, trunkElements, headElements };
}

/**
 * Values of `fetches` given concrete values for some tensors of the graph (by symbolic tensor id),
 * computing only what lies between them. Call inside `tf.tidy`.
 */
export function evaluate(fetches: SymbolicTensor[], feeds: Map<number, tf.Tensor>): tf.Tensor[] {
  const values = new Map(feeds);
  const compute = (t: SymbolicTensor): tf.Tensor => {
    const known = values.get(t.id);
    if (known) return known;
    const node = producer(t);
    if (node.inboundLayers.length === 0) throw new Error(`no value given for model input '${t.name}'`);
    const inputs = node.inputTensors.map(compute);
    const out = t.sourceLayer.apply(inputs.length === 1 ? inputs[0] : inputs, { ...node.callArgs, training: false });
    const outs = (Array.isArray(out) ? out : [out]) as tf.Tensor[];
    node.outputTensors.forEach((o, k) => values.set(o.id, outs[k]));
    return values.get(t.id)!;
  };
  return fetches.map(compute);
}
