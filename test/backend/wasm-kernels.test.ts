// Each convolution-gradient kernel registered for wasm against the cpu backend's kernel of the same
// name, over seeded random shapes, strides 1 and 2, 'same', 'valid' and explicit padding.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { initBackend, registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from '../../src/backend/index.js';
import { createRng, type Rng } from '../../src/util/random.js';
import { relativeError, runKernelOn, type Operand } from './helpers.js';

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];

interface Case {
  x: Shape4;
  filter: Shape4;
  strides: [number, number];
  pad: Pad;
  dilations: [number, number];
}

function operand(rng: Rng, shape: number[]): Operand {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) values[i] = rng.next() * 2 - 1;
  return { values, shape };
}

function outShape(c: Case, depthwise: boolean): number[] {
  return tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, c.dilations, c.pad, undefined, depthwise).outShape;
}

/** Inputs and attributes of each kernel for a case, as tfjs' gradient functions pass them. */
function kernelCall(kernel: string, c: Case, rng: Rng): { inputs: Record<string, Operand>; attrs: Record<string, unknown> } {
  const depthwise = kernel.startsWith('Depthwise');
  const dy = operand(rng, outShape(c, depthwise));
  const common = { strides: c.strides, pad: c.pad, dimRoundingMode: undefined };
  switch (kernel) {
    case 'Conv2DBackpropFilter':
      return { inputs: { x: operand(rng, c.x), dy }, attrs: { ...common, dataFormat: 'NHWC', filterShape: c.filter } };
    case 'Conv2DBackpropInput':
      return { inputs: { dy, filter: operand(rng, c.filter) }, attrs: { ...common, dataFormat: 'NHWC', inputShape: c.x } };
    case 'DepthwiseConv2dNativeBackpropFilter':
      return { inputs: { x: operand(rng, c.x), dy }, attrs: { ...common, dilations: c.dilations, filterShape: c.filter } };
    case 'DepthwiseConv2dNativeBackpropInput':
      return { inputs: { dy, filter: operand(rng, c.filter) }, attrs: { ...common, dilations: c.dilations, inputShape: c.x } };
    default:
      throw new Error(`no call for ${kernel}`);
  }
}

function randomCase(rng: Rng, kernel: string, stride: number, pad: Pad | 'explicit'): Case {
  const kh = 1 + rng.int(3);
  const kw = 1 + rng.int(3);
  const ci = 1 + rng.int(4);
  const last = kernel.startsWith('Depthwise') ? 1 + rng.int(2) : 1 + rng.int(5);
  const x: Shape4 = [1 + rng.int(3), kh + 2 + rng.int(7), kw + 2 + rng.int(7), ci];
  const explicit: Pad = [[0, 0], [rng.int(3), rng.int(3)], [rng.int(3), rng.int(3)], [0, 0]];
  return { x, filter: [kh, kw, ci, last], strides: [stride, stride], pad: pad === 'explicit' ? explicit : pad, dilations: [1, 1] };
}

describe('wasm convolution-gradient kernels', () => {
  let suiteBackend: string;

  before(async () => {
    suiteBackend = tf.getBackend();
    await initBackend('wasm', { quiet: true });
  });

  after(async () => {
    await tf.setBackend(suiteBackend);
  });

  for (const kernel of WASM_TRAINING_KERNELS) {
    for (const stride of [1, 2]) {
      for (const pad of ['same', 'valid', 'explicit'] as const) {
        it(`${kernel} equals the cpu kernel (stride ${stride}, ${pad} padding, 4 random shapes)`, async () => {
          const rng = createRng(`${kernel}/${stride}/${pad}`);
          for (let trial = 0; trial < 4; trial++) {
            const c = randomCase(rng, kernel, stride, pad);
            const { inputs, attrs } = kernelCall(kernel, c, rng);
            const reference = await runKernelOn('cpu', kernel, inputs, attrs);
            const actual = await runKernelOn('wasm', kernel, inputs, attrs);
            const label = `${kernel} ${JSON.stringify(c)}`;
            expect(actual.shape, label).to.deep.equal(reference.shape);
            expect(relativeError(actual.values, reference.values), label).to.be.below(1e-4);
            expect([actual.leakedTensors, actual.leakedDataIds], `${label}: leaked tensors, data ids`).to.deep.equal([0, 0]);
          }
        });
      }
    }
  }

  // Random shapes above stay under 128 filter rows (KH*KW*Ci), where stride 1 multiplies explicit
  // windows; these take the convolution path at stride 1 too.
  it('Conv2DBackpropFilter with many filter rows equals the cpu kernel (stride 1, each padding)', async () => {
    const rng = createRng('many-rows');
    for (const pad of ['same', 'valid', [[0, 0], [2, 1], [0, 2], [0, 0]]] as Pad[]) {
      const c: Case = { x: [2, 9, 8, 16], filter: [3, 3, 16, 5], strides: [1, 1], pad, dilations: [1, 1] };
      const { inputs, attrs } = kernelCall('Conv2DBackpropFilter', c, rng);
      const reference = await runKernelOn('cpu', 'Conv2DBackpropFilter', inputs, attrs);
      const actual = await runKernelOn('wasm', 'Conv2DBackpropFilter', inputs, attrs);
      expect(relativeError(actual.values, reference.values), JSON.stringify(c)).to.be.below(1e-4);
      expect([actual.leakedTensors, actual.leakedDataIds]).to.deep.equal([0, 0]);
    }
  });

  // The cpu backend's depthwise gradients ignore dilations (tfjs refuses gradients of dilated
  // convolutions, so it never calls them with any), hence a reference straight from the definition.
  it('depthwise gradients with dilations equal the definition', async () => {
    const rng = createRng('dilated');
    for (const [dilations, pad, multiplier] of [[[2, 2], 'valid', 2], [[2, 3], 'same', 1], [[3, 1], 'same', 2]] as const) {
      const c: Case = { x: [2, 11, 10, 3], filter: [3, 2, 3, multiplier], strides: [1, 1], pad, dilations: [...dilations] };
      const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, c.dilations, c.pad, undefined, true);
      const x = operand(rng, c.x);
      const w = operand(rng, c.filter);
      const dy = operand(rng, info.outShape);
      const [dW, dX] = naiveDepthwiseGradients(info, x.values, w.values, dy.values);
      const common = { strides: c.strides, pad: c.pad, dilations: c.dilations };
      const filterGrad = await runKernelOn('wasm', 'DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...common, filterShape: c.filter });
      const inputGrad = await runKernelOn('wasm', 'DepthwiseConv2dNativeBackpropInput', { dy, filter: w }, { ...common, inputShape: c.x });
      expect(relativeError(filterGrad.values, dW), `dW ${JSON.stringify(c)}`).to.be.below(1e-4);
      expect(relativeError(inputGrad.values, dX), `dx ${JSON.stringify(c)}`).to.be.below(1e-4);
    }
  });

  it('refuses channels-first data, naming it, and leaves nothing behind', async () => {
    const rng = createRng('nchw');
    const c = randomCase(rng, 'Conv2DBackpropFilter', 1, 'same');
    const { inputs, attrs } = kernelCall('Conv2DBackpropFilter', c, rng);
    await tf.setBackend('wasm');
    const tensors = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, tf.tensor(v.values, v.shape)]));
    const before = [tf.memory().numTensors, tf.engine().backend.numDataIds()];
    expect(() => tf.engine().runKernel('Conv2DBackpropFilter', tensors, { ...attrs, dataFormat: 'NCHW' } as tf.NamedAttrMap))
      .to.throw(/channels-last.*'NCHW'/);
    expect([tf.memory().numTensors, tf.engine().backend.numDataIds()]).to.deep.equal(before);
    tf.dispose(Object.values(tensors));
  });

  it('registration is idempotent and covers the kernels wasm lacks', () => {
    const before = WASM_TRAINING_KERNELS.map((k) => tf.getKernel(k, 'wasm')?.kernelFunc);
    registerWasmTrainingKernels();
    registerWasmTrainingKernels();
    expect(WASM_TRAINING_KERNELS.map((k) => tf.getKernel(k, 'wasm')?.kernelFunc)).to.deep.equal(before);
    expect(WASM_TRAINING_KERNELS).to.include.members([
      'Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput',
    ]);
    expect(before.every((f) => typeof f === 'function')).to.equal(true);
  });
});

/** dW and dx of a depthwise convolution, summed term by term from the definition. */
function naiveDepthwiseGradients(info: tf.backend_util.Conv2DInfo, x: Float32Array, w: Float32Array, dy: Float32Array): [Float64Array, Float64Array] {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, filterHeight: KH, filterWidth: KW } = info;
  const M = info.outChannels / C;
  const dW = new Float64Array(KH * KW * C * M);
  const dX = new Float64Array(B * H * W * C);
  for (let b = 0; b < B; b++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
    for (let kh = 0; kh < KH; kh++) for (let kw = 0; kw < KW; kw++) {
      const h = oh * info.strideHeight + kh * info.dilationHeight - info.padInfo.top;
      const v = ow * info.strideWidth + kw * info.dilationWidth - info.padInfo.left;
      if (h < 0 || h >= H || v < 0 || v >= W) continue;
      for (let c = 0; c < C; c++) for (let m = 0; m < M; m++) {
        const g = dy[((b * OH + oh) * OW + ow) * C * M + c * M + m]!;
        const xi = ((b * H + h) * W + v) * C + c;
        const wi = ((kh * KW + kw) * C + c) * M + m;
        dW[wi] += x[xi]! * g;
        dX[xi] += w[wi]! * g;
      }
    }
  }
  return [dW, dX];
}
