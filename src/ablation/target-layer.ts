// Which layer to ablate: the one the user names, or METHOD.md's default, the last convolution.
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Layer } from './graph.js';

const CONVOLUTIONS = new Set(['Conv2D', 'DepthwiseConv2D', 'SeparableConv2D']);

const isModel = (layer: Layer): layer is LayersModel =>
  Array.isArray((layer as Partial<LayersModel>).layers) && Array.isArray((layer as Partial<LayersModel>).outputs);

const outputShape = (layer: Layer): (number | null)[] | undefined => {
  try {
    const shape = layer.outputShape;
    return Array.isArray(shape[0]) || shape.length === 0 ? undefined : (shape as (number | null)[]);
  } catch {
    return undefined; // shared layers with differing output shapes have no single shape
  }
};

const isConvolution = (layer: Layer): boolean =>
  CONVOLUTIONS.has(layer.getClassName()) && outputShape(layer)?.length === 4;

/** Nested models among the layers, with the path of names leading to each. */
function nestedLayers(model: LayersModel, path: string[] = []): { layer: Layer; path: string[] }[] {
  return model.layers.flatMap((l) => (isModel(l) ? [
    ...l.layers.map((inner) => ({ layer: inner, path: [...path, l.name] })),
    ...nestedLayers(l, [...path, l.name]),
  ] : []));
}

function candidatesText(model: LayersModel): string {
  const convs = model.layers.filter(isConvolution).map((l) => `'${l.name}'`);
  return convs.length > 0 ? `the convolution layers are ${convs.join(', ')}` : `model '${model.name}' has no top-level convolution layer`;
}

/**
 * The layer `cumulativeAblation` ablates: `layer` by name, or by default the last top-level
 * convolution (Conv2D, DepthwiseConv2D, SeparableConv2D) with a rank-4 output. Its output must have
 * a channel axis last: `[N, H, W, M]` or `[N, M]`.
 */
export function resolveTargetLayer(model: LayersModel, layer?: string): Layer {
  if (layer === undefined) {
    const convs = model.layers.filter(isConvolution);
    if (convs.length > 0) return convs[convs.length - 1];
    const inner = nestedLayers(model).filter(({ layer: l }) => isConvolution(l));
    if (inner.length > 0) {
      const { layer: last, path } = inner[inner.length - 1];
      throw new Error(
        `layer: the last convolution '${last.name}' is inside nested model '${path.join('/')}', which the ablation ` +
          `cannot split; pass layer: '${path[0]}' to ablate the nested model's output, or build the model flat`,
      );
    }
    throw new Error(`layer: model '${model.name}' has no convolution layer; pass layer: '<name>' of a layer whose output is [N, H, W, M] or [N, M]`);
  }
  const found = model.layers.find((l) => l.name === layer);
  if (found === undefined) {
    const inner = nestedLayers(model).find(({ layer: l }) => l.name === layer);
    if (inner) {
      throw new Error(
        `layer: '${layer}' is inside nested model '${inner.path.join('/')}', which the ablation cannot split; ` +
          `pass layer: '${inner.path[0]}' to ablate the nested model's output, or build the model flat`,
      );
    }
    throw new Error(`layer: '${layer}' is not a layer of model '${model.name}'; ${candidatesText(model)}`);
  }
  const shape = outputShape(found);
  const config = found.getConfig();
  if (shape === undefined || (shape.length !== 4 && shape.length !== 2) || config.dataFormat === 'channelsFirst') {
    throw new Error(
      `layer: '${layer}' (output shape ${shape ? `[${shape.map((d) => d ?? 'null')}]` : 'not a single tensor'}` +
        `${config.dataFormat === 'channelsFirst' ? ', channels first' : ''}) has no channel axis; the ablation needs ` +
        `[N, H, W, M] channels last or [N, M]; ${candidatesText(model)}`,
    );
  }
  return found;
}
