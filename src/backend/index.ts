// Picks the tfjs backend: the real TensorFlow one (tfjs-node / tfjs-node-gpu) when the user has it,
// else wasm with the convolution gradients it lacks, else the pure-JS cpu backend. tfjs-node is only
// ever imported when 'auto' or 'tensorflow' was asked for: importing it loads libtensorflow.
import * as tf from '@tensorflow/tfjs-core';
import { registerWasmTrainingKernels } from './wasm-conv-grads.js';

export { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './wasm-conv-grads.js';

export type BackendPreference = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export const BACKEND_PREFERENCES: readonly BackendPreference[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

/** The packages that provide the 'tensorflow' backend, in the order they are tried. */
export const TENSORFLOW_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

export interface InitBackendOptions {
  /** Do not print the line saying which backend was chosen. Default false. */
  quiet?: boolean;
  /** Where that line goes. Default `console.log`. */
  log?: (line: string) => void;
}

type Attempt = { ok: true; detail: string } | { ok: false; reason: string };

function message(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

function isNotInstalled(error: unknown, pkg: string): boolean {
  const code = (error as { code?: string } | null)?.code;
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && message(error).includes(`'${pkg}'`);
}

async function activate(name: BackendName): Promise<boolean> {
  // setBackend resolves false (and warns) when the backend fails to initialize.
  return tf.findBackendFactory(name) !== null && (await tf.setBackend(name)) && tf.getBackend() === name;
}

async function tryTensorflow(): Promise<Attempt> {
  const reasons: string[] = [];
  for (const pkg of TENSORFLOW_PACKAGES) {
    try {
      await import(pkg);
    } catch (error) {
      reasons.push(isNotInstalled(error, pkg) ? `${pkg} is not installed` : `${pkg} failed to load: ${message(error)}`);
      continue;
    }
    // tfjs-node registers its backend in the tfjs-core it resolves; it must be the engine we use.
    if (tf.findBackendFactory('tensorflow') === null) {
      reasons.push(`${pkg} loaded but registered no 'tensorflow' backend in this @tensorflow/tfjs-core ` +
        `(${tf.version_core}); it uses another copy of tfjs-core: install matching versions so npm dedupes them`);
      continue;
    }
    if (await activate('tensorflow')) return { ok: true, detail: pkg };
    reasons.push(`${pkg} loaded but the 'tensorflow' backend failed to initialize`);
  }
  return { ok: false, reason: reasons.join(', ') };
}

async function tryWasm(): Promise<Attempt> {
  try {
    await import('@tensorflow/tfjs-backend-wasm');
  } catch (error) {
    return { ok: false, reason: `@tensorflow/tfjs-backend-wasm failed to load: ${message(error)}` };
  }
  registerWasmTrainingKernels();
  return (await activate('wasm'))
    ? { ok: true, detail: '@tensorflow/tfjs-backend-wasm with composed convolution gradients' }
    : { ok: false, reason: "the 'wasm' backend failed to initialize" };
}

async function tryCpu(): Promise<Attempt> {
  try {
    await import('@tensorflow/tfjs-backend-cpu');
  } catch (error) {
    // @tensorflow/tfjs registers cpu too; only a missing registration is fatal.
    if (tf.findBackendFactory('cpu') === null) {
      return { ok: false, reason: `@tensorflow/tfjs-backend-cpu failed to load: ${message(error)}` };
    }
  }
  return (await activate('cpu'))
    ? { ok: true, detail: 'pure JavaScript, slow' }
    : { ok: false, reason: "the 'cpu' backend failed to initialize" };
}

const ATTEMPTS: Record<BackendName, () => Promise<Attempt>> = { tensorflow: tryTensorflow, wasm: tryWasm, cpu: tryCpu };

const SETUP_ADVICE =
  'install @tensorflow/tfjs-node (or @tensorflow/tfjs-node-gpu) matching your @tensorflow/tfjs-core, ' +
  "or, in this project's checkout, run `npm run setup:tfjs-node`";

/**
 * Selects and initializes the tfjs backend and returns its name.
 *
 * 'auto' tries tensorflow (tfjs-node-gpu, then tfjs-node), then wasm, then cpu. A named backend
 * that cannot be used is an error saying why (for 'tensorflow': what to install).
 *
 * ```ts
 * const backend = await initBackend();       // logs e.g. "tfjs backend: wasm (...)"
 * await initBackend('cpu', { quiet: true });
 * ```
 */
export async function initBackend(preference: BackendPreference = 'auto', options: InitBackendOptions = {}): Promise<BackendName> {
  if (!BACKEND_PREFERENCES.includes(preference)) {
    throw new Error(`initBackend: unknown backend preference '${String(preference)}'; use one of ${BACKEND_PREFERENCES.join(', ')}`);
  }
  const candidates: BackendName[] = preference === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [preference];
  const skipped: Array<{ name: BackendName; reason: string }> = [];
  const describe = () => skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  for (const name of candidates) {
    const attempt = await ATTEMPTS[name]();
    if (attempt.ok) {
      await tf.ready();
      if (!(options.quiet ?? false)) {
        const why = skipped.length > 0 ? `; passed over ${describe()}` : '';
        (options.log ?? console.log)(`tfjs backend: ${name} (${attempt.detail}${why})`);
      }
      return name;
    }
    skipped.push({ name, reason: attempt.reason });
  }
  if (preference === 'tensorflow') {
    throw new Error(`initBackend('tensorflow'): ${skipped[0]!.reason}. To use it, ${SETUP_ADVICE}.`);
  }
  throw new Error(`initBackend('${preference}'): no backend could be initialized: ${describe()}`);
}
