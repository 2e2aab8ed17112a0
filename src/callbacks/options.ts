// The monitor's options as users pass them in code, and their resolution into one validated setting.
import * as tf from '@tensorflow/tfjs-core';
import type { GapModel } from '../regression/index.js';
import { MonitorOptionError, resolveMonitorConfig, type MonitorConfig, type ResolveConfigSources } from './config.js';

/** The training data as trained on: the labels the network sees, corrupted ones included. */
export interface MonitorData {
  /** Inputs, [N, ...the model's input shape]. */
  x: tf.Tensor;
  /** One-hot targets [N, K], or class indices [N] (tensor or array). */
  y: tf.Tensor | ArrayLike<number>;
}

export interface EarlyStopOptions {
  /** Stop when the predicted gap exceeds this. Required to enable early stopping (needs `gapModel`). */
  maxPredictedGap: number;
  /** Consecutive probes over the limit before stopping. Default 1. */
  patience?: number;
  /** Probes after epochs with a lower (0-based) index never stop training. Default 0. */
  startFromEpoch?: number;
  /** On stop, restore the weights of the probe with the lowest predicted gap. Default false. */
  restoreBestWeights?: boolean;
}

/** Where the monitor's console lines go. Default: `console`. */
export interface MonitorLogger {
  log(line: string): void;
  warn(line: string): void;
}

/**
 * Options of `sparsityGapMonitor`. Every option except `data`, `logger` and a gap model given as an
 * object can also come from config/default.json, a config file (`configFile` or env
 * SGM_MONITOR_CONFIG) or SGM_MONITOR_* environment variables; options passed here win.
 */
export interface SparsityGapMonitorOptions {
  /** Required. The training data as trained on; each probe samples from it. */
  data: MonitorData;
  /** Layer to ablate. Default: the last convolution of the model. */
  layer?: string;
  /** Probe after every this many epochs. Default 5. */
  everyEpochs?: number;
  /** Classes drawn for each probe. Default min(10, K). */
  classesPerProbe?: number;
  /** Training samples per probed class. Default 64. */
  samplesPerClass?: number;
  /** Accuracy that counts as chance for the turning point n0. Default 1/K. */
  chance?: number;
  /** Unit ranking score. Default 'mean'. */
  score?: 'mean' | 'l1';
  /** Divide kappa_j by the class's training accuracy. Default false. */
  normalizeKappa?: boolean;
  /** Seed of the probe sampling; each probe draws afresh from (seed, epoch). Default 0. */
  seed?: number;
  /** Ablation strategy. Default 'auto'. */
  strategy?: MonitorConfig['strategy'];
  /** TensorBoard log directory. Default: none (no files). */
  logdir?: string;
  /** Gap model: a JSON file path or the model itself. Default: none (ζ and κ only). */
  gapModel?: string | GapModel | { a: number; b: number; c: number };
  /** Stop training when the predicted gap grows too large. Default: off. */
  earlyStop?: EarlyStopOptions;
  /** Probe once more after the last epoch when it was not a probe epoch. Default true. */
  probeOnTrainEnd?: boolean;
  /** A probe that fails mid-training: 'warn' and train on, or 'throw'. Default 'warn'. */
  onError?: 'warn' | 'throw';
  /** 1 = print one line per probe. Default 0. */
  verbose?: 0 | 1 | boolean;
  /** JSON file with a `monitor` section (see config/default.json). Default: env SGM_MONITOR_CONFIG. */
  configFile?: string;
  /** Where console lines go. Default: console. */
  logger?: MonitorLogger;
}

export interface ResolvedOptions {
  config: MonitorConfig;
  data: MonitorData;
  /** A path (from `config.gapModel`) or an object given in code; null = none. */
  gapModel: string | object | null;
  logger: MonitorLogger;
}

function checkData(data: unknown): MonitorData {
  if (data === null || typeof data !== 'object') {
    throw new MonitorOptionError('sparsityGapMonitor: option `data` is required: pass { x, y }, the training data as trained on');
  }
  const { x, y } = data as Partial<MonitorData>;
  if (!(x instanceof tf.Tensor)) {
    throw new MonitorOptionError(`sparsityGapMonitor: data.x must be a tf.Tensor of inputs, got ${describe(x)}`);
  }
  if (x.rank < 2) throw new MonitorOptionError(`sparsityGapMonitor: data.x must have a batch axis, got shape [${x.shape}]`);
  const isLabels = !(y instanceof tf.Tensor) && y !== null && typeof y === 'object' && typeof (y as ArrayLike<number>).length === 'number';
  if (!(y instanceof tf.Tensor) && !isLabels) {
    throw new MonitorOptionError(`sparsityGapMonitor: data.y must be one-hot targets (tf.Tensor [N, K]) or class indices, got ${describe(y)}`);
  }
  if (y instanceof tf.Tensor && y.rank > 2) {
    throw new MonitorOptionError(`sparsityGapMonitor: data.y must be one-hot [N, K] or class indices [N], got shape [${y.shape}]`);
  }
  const n = y instanceof tf.Tensor ? y.shape[0] : (y as ArrayLike<number>).length;
  if (n !== x.shape[0]) {
    throw new MonitorOptionError(`sparsityGapMonitor: data.x has ${x.shape[0]} samples but data.y has ${n}`);
  }
  return { x, y: y as MonitorData['y'] };
}

function describe(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  return Array.isArray(value) ? 'an array' : typeof value === 'object' ? (value.constructor?.name ?? 'an object') : `${typeof value} ${JSON.stringify(value)}`;
}

export function resolveOptions(options: SparsityGapMonitorOptions, sources: ResolveConfigSources = {}): ResolvedOptions {
  if (options === null || typeof options !== 'object') {
    throw new MonitorOptionError('sparsityGapMonitor: pass an options object, at least { data: { x, y } }');
  }
  const { data, gapModel, logger, configFile, verbose, earlyStop, ...rest } = options;
  if (gapModel !== undefined && gapModel !== null && typeof gapModel !== 'string' && typeof gapModel !== 'object') {
    throw new MonitorOptionError(`sparsityGapMonitor: gapModel must be a path or a gap model object, got ${describe(gapModel)}`);
  }
  const gapModelPath = typeof gapModel === 'string' ? gapModel : undefined;
  if (earlyStop !== undefined && (earlyStop === null || typeof earlyStop !== 'object')) {
    throw new MonitorOptionError(`sparsityGapMonitor: earlyStop must be an object like { maxPredictedGap: 0.2 }, got ${describe(earlyStop)}`);
  }
  const config = resolveMonitorConfig(
    { ...rest, earlyStop, gapModel: gapModelPath, verbose: typeof verbose === 'boolean' ? (verbose ? 1 : 0) : verbose },
    { ...sources, configFile: configFile ?? sources.configFile },
  );
  // An object (or null: none) given in code wins over a path from any source.
  const model = gapModel !== undefined && typeof gapModel === 'object' ? gapModel : config.gapModel;
  if (config.earlyStop.maxPredictedGap !== null && model === null) {
    throw new MonitorOptionError(
      `sparsityGapMonitor: earlyStop.maxPredictedGap (${config.earlyStop.maxPredictedGap}) needs a gap model: pass gapModel`,
    );
  }
  return { config, data: checkData(data), gapModel: model, logger: logger ?? console };
}
