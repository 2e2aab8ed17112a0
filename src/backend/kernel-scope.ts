// Runs a backend's registered kernels directly on TensorInfos, the way tfjs backends compose their
// own kernels: no engine, no gradient tape, no Tensor bookkeeping. Every intermediate is freed when
// the scope ends, except the one returned.
import { getKernel, type KernelBackend, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';

type KernelInputs = Record<string, TensorInfo> | TensorInfo[];

export class KernelScope {
  private readonly made: TensorInfo[] = [];

  private constructor(private readonly backend: KernelBackend, private readonly backendName: string) {}

  /**
   * Runs `body` on `backend` (a kernel function's `backend` argument, typed `{}` by tfjs); frees
   * every intermediate it made (also on error) except the result.
   */
  static run(kernelBackend: unknown, backendName: string, body: (scope: KernelScope) => TensorInfo): TensorInfo {
    const backend = kernelBackend as KernelBackend;
    const scope = new KernelScope(backend, backendName);
    let result: TensorInfo | undefined;
    try {
      result = body(scope);
      return result;
    } finally {
      // Kernels such as Reshape share a dataId and raise its refcount, so each made info is
      // released once; the result's own data stays alive through its refcount.
      for (const info of scope.made) if (info !== result) backend.disposeData(info.dataId);
    }
  }

  kernel(name: string, inputs: KernelInputs, attrs: NamedAttrMap = {}): TensorInfo {
    const config = getKernel(name, this.backendName);
    if (config === undefined) throw new Error(`Kernel '${name}' is not registered for backend '${this.backendName}'`);
    // Array inputs (Concat, Pack) are what those kernels expect, though the type says a map.
    const out = config.kernelFunc({ inputs: inputs as Record<string, TensorInfo>, attrs, backend: this.backend });
    if (Array.isArray(out)) throw new Error(`Kernel '${name}' returned several outputs where one was expected`);
    this.made.push(out);
    return out;
  }

  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.kernel('Reshape', { x }, { shape });
  }

  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.kernel('Transpose', { x }, { perm });
  }

  /** Pads (positive amounts) and crops (negative amounts) the axes, [before, after] per axis. */
  padOrCrop(x: TensorInfo, amounts: Array<[number, number]>): TensorInfo {
    let out = x;
    if (amounts.some(([b, a]) => b < 0 || a < 0)) {
      const begin = amounts.map(([b]) => Math.max(0, -b));
      const size = amounts.map(([b, a], i) => x.shape[i]! - Math.max(0, -b) - Math.max(0, -a));
      out = this.kernel('Slice', { x: out }, { begin, size });
    }
    if (amounts.some(([b, a]) => b > 0 || a > 0)) {
      const paddings = amounts.map(([b, a]) => [Math.max(0, b), Math.max(0, a)]);
      out = this.kernel('PadV2', { x: out }, { paddings, constantValue: 0 });
    }
    return out;
  }
}
