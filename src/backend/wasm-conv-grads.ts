// Convolution gradients for @tensorflow/tfjs-backend-wasm, composed from kernels it has, so that
// convolutional nets train on wasm. Every composition is exact (the same sums in another order)
// and puts the work into XNNPACK's convolutions or a non-transposed matrix product:
// - Conv2DBackpropFilter: a convolution of x with dy (batch as channels), or for small filters the
//   strided windows of the padded input (one per kernel offset) times dy in one matrix product;
// - DepthwiseConv2dNativeBackpropFilter: those windows times dy, one product per channel;
// - Conv2DBackpropInput, DepthwiseConv2dNativeBackpropInput: dy with zeros between rows/columns
//   (stride), framed, correlated with the flipped filter by wasm's own (depthwise) convolution.
// wasm has a Conv2DBackpropInput, but a naive loop about 5x slower than its forward convolution,
// and it dominated a training step; it is replaced.
import {
  backend_util,
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  DepthwiseConv2dNativeBackpropFilter,
  DepthwiseConv2dNativeBackpropInput,
  getKernel,
  registerKernel,
  unregisterKernel,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { KernelScope } from './kernel-scope.js';

const BACKEND = 'wasm';
/** Below this many filter rows (KH*KW*Ci), a stride-1 Conv2DBackpropFilter multiplies explicit windows. */
const WINDOW_ROWS_MAX = 128;

type Shape4 = [number, number, number, number];
type Pad = 'valid' | 'same' | number | backend_util.ExplicitPadding;
type Pair = [number, number] | number;
type Rounding = 'floor' | 'round' | 'ceil' | undefined;

interface ConvAttrs {
  strides: Pair;
  pad: Pad;
  dilations?: Pair;
  dimRoundingMode?: Rounding;
  dataFormat?: string;
  filterShape: Shape4;
  inputShape: Shape4;
}

function convInfo(kernel: string, xShape: Shape4, filterShape: Shape4, attrs: ConvAttrs, depthwise: boolean) {
  const { dataFormat } = attrs;
  if (dataFormat !== undefined && dataFormat !== 'NHWC' && dataFormat !== 'channelsLast') {
    throw new Error(`${kernel} on wasm supports channels-last (NHWC) data only, got dataFormat '${dataFormat}'`);
  }
  return backend_util.computeConv2DInfo(xShape, filterShape, attrs.strides, attrs.dilations ?? 1, attrs.pad,
    attrs.dimRoundingMode, depthwise, 'channelsLast');
}

/** How many rows/columns of the padded input the windows of all outputs span. */
function spanned(info: backend_util.Conv2DInfo): [number, number] {
  return [
    (info.filterHeight - 1) * info.dilationHeight + (info.outHeight - 1) * info.strideHeight + 1,
    (info.filterWidth - 1) * info.dilationWidth + (info.outWidth - 1) * info.strideWidth + 1,
  ];
}

/**
 * The input window of every kernel offset (kh, kw): rows oh*sh + kh*dh, columns ow*sw + kw*dw of
 * the padded input, channel-major [Ci, B, OH, OW], stacked on `axis` 0 ([KH*KW, Ci, B, OH, OW]) or
 * 1 ([Ci, KH*KW, B, OH, OW]).
 */
function offsetWindows(k: KernelScope, x: TensorInfo, info: backend_util.Conv2DInfo, axis: 0 | 1): TensorInfo {
  const { batchSize, inChannels, outHeight, outWidth, padInfo } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const [rows, cols] = spanned(info);
  const framed = k.padOrCrop(k.transpose(x, [3, 0, 1, 2]), [
    [0, 0],
    [0, 0],
    [padInfo.top, rows - padInfo.top - info.inHeight],
    [padInfo.left, cols - padInfo.left - info.inWidth],
  ]);
  const windows: TensorInfo[] = [];
  for (let kh = 0; kh < info.filterHeight; kh++) {
    for (let kw = 0; kw < info.filterWidth; kw++) {
      windows.push(k.kernel('StridedSlice', { x: framed }, {
        begin: [0, 0, kh * dh, kw * dw],
        end: [inChannels, batchSize, kh * dh + (outHeight - 1) * sh + 1, kw * dw + (outWidth - 1) * sw + 1],
        strides: [1, 1, sh, sw],
        beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0,
      }));
    }
  }
  return k.kernel('Pack', windows, { axis });
}

/**
 * dW[kh, kw, ci, co] = sum over b, oh, ow of xPadded[b, oh*sh + kh, ow*sw + kw, ci] * dy[b, oh, ow, co].
 * Two exact ways, chosen by speed (measured at batch 64, 7x7 to 28x28 inputs, 1 to 64 channels):
 * - stride 1 and few filter rows (KH*KW*Ci < WINDOW_ROWS_MAX, e.g. a first layer on grey images):
 *   the windows as a [KH*KW*Ci, N] matrix times dy as [N, Co] (2-3x faster there; strided windows
 *   are slow to cut);
 * - otherwise a valid convolution of x laid out [Ci, H, W, B] (the batch as channels) with dy laid
 *   out as a filter [OH, OW, B, Co] dilated by the stride; its output [Ci, KH, KW, Co] is dW
 *   transposed. It skips materializing the windows, but XNNPACK is slow when it has few output
 *   pixels (Ci*KH*KW) to spread the work over.
 */
const conv2dBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const a = attrs as unknown as ConvAttrs;
  // The kernel has no dilations attribute (tfjs refuses gradients of dilated convolutions).
  const info = convInfo(Conv2DBackpropFilter, x.shape as Shape4, a.filterShape, { ...a, dilations: 1 }, false);
  const { padInfo, filterHeight, filterWidth, inChannels, outChannels } = info;
  const filterRows = filterHeight * filterWidth * inChannels;
  const n = info.batchSize * info.outHeight * info.outWidth;
  return KernelScope.run(backend, BACKEND, (k) => {
    if (filterRows < WINDOW_ROWS_MAX && info.strideHeight === 1 && info.strideWidth === 1) {
      const windows = k.reshape(offsetWindows(k, x, info, 0), [filterRows, n]);
      const product = k.kernel('BatchMatMul', { a: windows, b: k.reshape(dy, [n, outChannels]) },
        { transposeA: false, transposeB: false });
      return k.reshape(product, a.filterShape);
    }
    const [rows, cols] = spanned(info);
    const framed = k.padOrCrop(k.transpose(x, [3, 1, 2, 0]), [
      [0, 0],
      [padInfo.top, rows - padInfo.top - info.inHeight],
      [padInfo.left, cols - padInfo.left - info.inWidth],
      [0, 0],
    ]);
    const transposed = k.kernel('Conv2D', { x: framed, filter: k.transpose(dy, [1, 2, 0, 3]) },
      { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [info.strideHeight, info.strideWidth] });
    return k.transpose(transposed, [1, 2, 0, 3]);
  });
};

/**
 * dW[kh, kw, c, m] = sum over b, oh, ow of xPadded[b, oh*sh + kh*dh, ow*sw + kw*dw, c] * dy[b, oh, ow, c*M + m]:
 * the windows as [C, KH*KW, N] times dy as [C, N, M], one product per channel.
 */
const depthwiseBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const a = attrs as unknown as ConvAttrs;
  const info = convInfo(DepthwiseConv2dNativeBackpropFilter, x.shape as Shape4, a.filterShape, a, true);
  const { inChannels } = info;
  const taps = info.filterHeight * info.filterWidth;
  const n = info.batchSize * info.outHeight * info.outWidth;
  return KernelScope.run(backend, BACKEND, (k) => {
    const windows = k.reshape(offsetWindows(k, x, info, 1), [inChannels, taps, n]);
    const grads = k.transpose(k.reshape(dy, [n, inChannels, a.filterShape[3]]), [1, 0, 2]);
    const product = k.kernel('BatchMatMul', { a: windows, b: grads }, { transposeA: false, transposeB: false });
    return k.reshape(k.transpose(product, [1, 0, 2]), a.filterShape);
  });
};

/**
 * dy with (stride - 1) zeros between its rows and columns, framed so that a valid stride-1
 * correlation with the flipped filter yields dx: dx[h] = sum over kh of framed[h + kh*dh] * W[KH-1-kh].
 */
function framedOutputGradient(k: KernelScope, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize, outHeight, outWidth, outChannels, padInfo } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  let dilated = dy;
  if (sh > 1 || sw > 1) {
    const spread = k.padOrCrop(k.reshape(dy, [batchSize, outHeight, 1, outWidth, 1, outChannels]),
      [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
    dilated = k.reshape(spread, [batchSize, outHeight * sh, outWidth * sw, outChannels]);
  }
  // The correlation needs inHeight + (KH-1)*dh rows: (KH-1)*dh - top before dy, the rest after
  // (negative amounts crop rows no input position receives).
  return k.padOrCrop(dilated, [
    [0, 0],
    [(info.filterHeight - 1) * dh - padInfo.top, info.inHeight + padInfo.top - outHeight * sh],
    [(info.filterWidth - 1) * dw - padInfo.left, info.inWidth + padInfo.left - outWidth * sw],
    [0, 0],
  ]);
}

/** dx[b, h, w, ci] = sum over kh, kw, co of dy[b, oh, ow, co] * W[kh, kw, ci, co] where h + top = oh*sh + kh. */
const conv2dBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const a = attrs as unknown as ConvAttrs;
  const info = convInfo(Conv2DBackpropInput, a.inputShape, filter.shape as Shape4, { ...a, dilations: 1 }, false);
  return KernelScope.run(backend, BACKEND, (k) => {
    const flipped = k.transpose(k.kernel('Reverse', { x: filter }, { dims: [0, 1] }), [0, 1, 3, 2]);
    return k.kernel('Conv2D', { x: framedOutputGradient(k, dy, info), filter: flipped },
      { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1] });
  });
};

/** dx[b, h, w, c] = sum over kh, kw, m of dy[b, oh, ow, c*M + m] * W[kh, kw, c, m] where h + top = oh*sh + kh*dh. */
const depthwiseBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const a = attrs as unknown as ConvAttrs;
  const filterShape = filter.shape as Shape4;
  const info = convInfo(DepthwiseConv2dNativeBackpropInput, a.inputShape, filterShape, a, true);
  const { batchSize, inHeight, inWidth, inChannels } = info;
  return KernelScope.run(backend, BACKEND, (k) => {
    const flipped = k.reshape(k.kernel('Reverse', { x: filter }, { dims: [0, 1] }),
      [info.filterHeight, info.filterWidth, info.outChannels, 1]);
    const perOutput = k.kernel('DepthwiseConv2dNative', { x: framedOutputGradient(k, dy, info), filter: flipped },
      { strides: [1, 1], pad: 'valid', dilations: [info.dilationHeight, info.dilationWidth] });
    if (filterShape[3] === 1) return perOutput;
    return k.kernel('Sum', { x: k.reshape(perOutput, [batchSize, inHeight, inWidth, inChannels, filterShape[3]]) },
      { axis: [4], keepDims: false });
  });
};

const CONFIGS: KernelConfig[] = [
  { kernelName: Conv2DBackpropFilter, backendName: BACKEND, kernelFunc: conv2dBackpropFilter },
  { kernelName: Conv2DBackpropInput, backendName: BACKEND, kernelFunc: conv2dBackpropInput },
  { kernelName: DepthwiseConv2dNativeBackpropFilter, backendName: BACKEND, kernelFunc: depthwiseBackpropFilter },
  { kernelName: DepthwiseConv2dNativeBackpropInput, backendName: BACKEND, kernelFunc: depthwiseBackpropInput },
];

/** Names of the kernels this module registers for the wasm backend. */
export const WASM_TRAINING_KERNELS: readonly string[] = CONFIGS.map((c) => c.kernelName);

/** Registers the convolution-gradient kernels for the wasm backend (replacing wasm's own slow one). Idempotent. */
export function registerWasmTrainingKernels(): void {
  for (const config of CONFIGS) {
    const current = getKernel(config.kernelName, BACKEND);
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current !== undefined) unregisterKernel(config.kernelName, BACKEND);
    registerKernel(config);
  }
}
