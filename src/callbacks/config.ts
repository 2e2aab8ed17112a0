// The monitor's configurable options as a convict schema. Defaults live in config/default.json (the
// `monitor` section), environment variables SGM_MONITOR_* override them, an optional JSON config file
// (same shape as config/default.json) sits between the two, and options passed in code win over all.
import { readFileSync } from 'node:fs';
import convict from 'convict';
import type { AblationStrategy } from '../ablation/index.js';

/** Everything about the monitor that can come from a config file or the environment. */
export interface MonitorConfig {
  layer: string | null;
  everyEpochs: number;
  classesPerProbe: number | null;
  samplesPerClass: number;
  chance: number | null;
  score: 'mean' | 'l1';
  normalizeKappa: boolean;
  seed: number;
  strategy: AblationStrategy;
  logdir: string | null;
  gapModel: string | null;
  earlyStop: {
    maxPredictedGap: number | null;
    patience: number;
    startFromEpoch: number;
    restoreBestWeights: boolean;
  };
  probeOnTrainEnd: boolean;
  onError: 'warn' | 'throw';
  verbose: 0 | 1;
}

// Every strategy the ablation engine knows; the type checks below fail to compile when they differ.
const STRATEGIES = ['auto', 'prefix', 'batched', 'stepwise'] as const satisfies readonly AblationStrategy[];
const allStrategiesListed: Exclude<AblationStrategy, (typeof STRATEGIES)[number]> extends never ? true : never = true;
void allStrategiesListed;

/** Environment variable naming an optional JSON config file. */
export const CONFIG_FILE_ENV = 'SGM_MONITOR_CONFIG';

const DEFAULTS_URL = new URL('../../config/default.json', import.meta.url);

export class MonitorOptionError extends Error {
  override name = 'MonitorOptionError';
}

// convict appends ": value was <v>" only for truthy values; say the falsy ones ourselves.
function fail(message: string, value: unknown): never {
  throw new Error(value ? message : `${message}: value was ${JSON.stringify(value)}`);
}

const parseNumber = (v: string) => (v === 'null' || v === '' ? null : Number(v));

convict.addFormats({
  'sgm-int': {
    validate: (v) => { if (!Number.isSafeInteger(v)) fail('must be an integer', v); },
    coerce: parseNumber,
  },
  'sgm-int-min0': {
    validate: (v) => { if (!Number.isSafeInteger(v) || v < 0) fail('must be an integer >= 0', v); },
    coerce: parseNumber,
  },
  'sgm-int-min1': {
    validate: (v) => { if (!Number.isSafeInteger(v) || v < 1) fail('must be an integer >= 1', v); },
    coerce: parseNumber,
  },
  'sgm-finite': {
    validate: (v) => { if (typeof v !== 'number' || !Number.isFinite(v)) fail('must be a finite number', v); },
    coerce: parseNumber,
  },
  'sgm-open-unit': {
    validate: (v) => { if (typeof v !== 'number' || !(v > 0 && v < 1)) fail('must be a number in (0, 1)', v); },
    coerce: parseNumber,
  },
  'sgm-path': {
    validate: (v) => { if (typeof v !== 'string' || v.length === 0) fail('must be a non-empty string', v); },
  },
  'sgm-boolean': {
    validate: (v) => { if (typeof v !== 'boolean') fail('must be true or false', v); },
    // Environment strings; anything else stays a string and fails validation.
    coerce: (v: string) => ({ true: true, 1: true, false: false, 0: false } as Record<string, boolean>)[v.toLowerCase()] ?? v,
  },
  'sgm-verbosity': {
    validate: (v) => { if (v !== 0 && v !== 1) fail('must be 0 or 1', v); },
    coerce: parseNumber,
  },
});

const env = (name: string) => `SGM_MONITOR_${name}`;

function schema(defaults: MonitorConfig) {
  const d = defaults;
  return {
    layer: { doc: 'Target layer name; null = the last convolution', format: 'sgm-path', nullable: true, default: d.layer, env: env('LAYER') },
    everyEpochs: { doc: 'Probe every N epochs', format: 'sgm-int-min1', default: d.everyEpochs, env: env('EVERY_EPOCHS') },
    classesPerProbe: { doc: 'Classes per probe; null = min(10, K)', format: 'sgm-int-min1', nullable: true, default: d.classesPerProbe, env: env('CLASSES_PER_PROBE') },
    samplesPerClass: { doc: 'Training samples per probed class', format: 'sgm-int-min1', default: d.samplesPerClass, env: env('SAMPLES_PER_CLASS') },
    chance: { doc: 'Accuracy level that counts as chance; null = 1/K', format: 'sgm-open-unit', nullable: true, default: d.chance, env: env('CHANCE') },
    score: { doc: 'Unit ranking score', format: ['mean', 'l1'], default: d.score, env: env('SCORE') },
    normalizeKappa: { doc: 'Divide kappa_j by the class training accuracy', format: 'sgm-boolean', default: d.normalizeKappa, env: env('NORMALIZE_KAPPA') },
    seed: { doc: 'Seed of the probe sampling', format: 'sgm-int', default: d.seed, env: env('SEED') },
    strategy: { doc: 'Ablation strategy', format: [...STRATEGIES], default: d.strategy, env: env('STRATEGY') },
    logdir: { doc: 'TensorBoard log directory; null = no files', format: 'sgm-path', nullable: true, default: d.logdir, env: env('LOGDIR') },
    gapModel: { doc: 'Gap model JSON path; null = zeta and kappa only', format: 'sgm-path', nullable: true, default: d.gapModel, env: env('GAP_MODEL') },
    earlyStop: {
      maxPredictedGap: { doc: 'Stop when the predicted gap exceeds this; null = never', format: 'sgm-finite', nullable: true, default: d.earlyStop.maxPredictedGap, env: env('EARLY_STOP_MAX_PREDICTED_GAP') },
      patience: { doc: 'Consecutive probes over the limit before stopping', format: 'sgm-int-min1', default: d.earlyStop.patience, env: env('EARLY_STOP_PATIENCE') },
      startFromEpoch: { doc: 'Probes before this epoch index never stop training', format: 'sgm-int-min0', default: d.earlyStop.startFromEpoch, env: env('EARLY_STOP_START_FROM_EPOCH') },
      restoreBestWeights: { doc: 'On stop, restore the weights of the probe with the lowest predicted gap', format: 'sgm-boolean', default: d.earlyStop.restoreBestWeights, env: env('EARLY_STOP_RESTORE_BEST_WEIGHTS') },
    },
    probeOnTrainEnd: { doc: 'Probe after the last epoch when it was not a probe epoch', format: 'sgm-boolean', default: d.probeOnTrainEnd, env: env('PROBE_ON_TRAIN_END') },
    onError: { doc: "A failing probe: 'warn' and go on, or 'throw'", format: ['warn', 'throw'], default: d.onError, env: env('ON_ERROR') },
    verbose: { doc: '1 = one console line per probe', format: 'sgm-verbosity', default: d.verbose, env: env('VERBOSE') },
  };
}

function readJson(path: string | URL, what: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new MonitorOptionError(`${what} ${String(path)} cannot be read: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new MonitorOptionError(`${what} ${String(path)} is not valid JSON: ${(error as Error).message}`);
  }
}

/** The shipped defaults (config/default.json, `monitor` section). */
export function defaultMonitorConfig(): MonitorConfig {
  return readJson(DEFAULTS_URL, 'default config').monitor as MonitorConfig;
}

export interface ResolveConfigSources {
  /** JSON file with a `monitor` section; default: the file named by SGM_MONITOR_CONFIG, if any. */
  configFile?: string;
  /** Environment to read SGM_MONITOR_* from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object | null ? DeepPartial<NonNullable<T[K]>> | T[K] : T[K] };
export type MonitorConfigOverrides = DeepPartial<MonitorConfig>;

/**
 * Defaults < config file < environment < `explicit`; validated as a whole. An invalid value throws a
 * MonitorOptionError naming each bad option and its value.
 */
export function resolveMonitorConfig(explicit: MonitorConfigOverrides = {}, sources: ResolveConfigSources = {}): MonitorConfig {
  const environment = sources.env ?? process.env;
  const config = convict<MonitorConfig>(schema(defaultMonitorConfig()) as convict.Schema<MonitorConfig>, { env: environment, args: [] });
  const configFile = sources.configFile ?? environment[CONFIG_FILE_ENV];
  if (configFile) {
    const section = readJson(configFile, 'monitor config file').monitor;
    if (section === undefined) throw new MonitorOptionError(`monitor config file ${configFile} has no "monitor" section`);
    config.load(section as Partial<MonitorConfig>);
  }
  const set = (prefix: string, values: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) continue;
      if (key === 'earlyStop' && value !== null && typeof value === 'object') set('earlyStop.', value as Record<string, unknown>);
      else config.set(prefix + key as never, value as never);
    }
  };
  set('', explicit as Record<string, unknown>);
  try {
    config.validate({ allowed: 'strict' });
  } catch (error) {
    throw new MonitorOptionError(`sparsityGapMonitor: invalid option(s):\n  ${(error as Error).message.split('\n').join('\n  ')}`);
  }
  return config.getProperties();
}
