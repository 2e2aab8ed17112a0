// The grid of reference networks (METHOD.md "Reference networks", scaled to CPU): label corruption
// crossed with variations of the training recipe. Each run's id and seed follow from its settings
// alone, so resume, sharding and the concatenation of shards agree whatever the grid's order.
import crc32 from 'crc-32';

export type OptimizerName = 'sgd' | 'adam';

/** One reference network: how it is trained. */
export interface RunConfig {
  /** Fraction of training labels replaced by a uniformly random class. */
  corruption: number;
  optimizer: OptimizerName;
  learningRate: number;
  /** SGD momentum; 0 for Adam (it has none). */
  momentum: number;
  /** Dropout rate after the dense layer. */
  dropout: number;
  l2: number;
  batchNorm: boolean;
  batchSize: number;
  /** Random shifts of the training images, drawn again every epoch. */
  augment: boolean;
  /** Epoch cap: training stops earlier when it reaches the target training accuracy. */
  epochs: number;
  seed: number;
}

/** What every run of one sweep shares: data, stopping rule and probe. */
export interface SweepSettings {
  /** Training images (a seeded subset of the dataset, the same for every run). */
  trainSize: number;
  /** Held-out images for test accuracy, disjoint from the training images. */
  testSize: number;
  /** Seed of the train/test choice. */
  dataSeed: number;
  /** Stop when the epoch's training accuracy (as `fit` logs it) reaches this. */
  targetAccuracy: number;
  /** Probe (ζ, κ, train and test accuracy) every this many epochs, and after the last epoch. */
  probeEvery: number;
  /** Training samples per class that the probe ablates; every class is probed. */
  samplesPerClass: number;
}

export interface GridPreset {
  description: string;
  settings: SweepSettings;
  runs: RunConfig[];
}

/** The paper's corruption levels. */
export const CORRUPTIONS = [0, 0.2, 0.4, 0.6, 0.8, 1.0] as const;

/** The training recipe of the shipped model and the demo: SGD with momentum 0.9, as the paper trains. */
export const DEFAULT_RECIPE = {
  optimizer: 'sgd', learningRate: 0.01, momentum: 0.9, batchSize: 64,
} as const satisfies Pick<RunConfig, 'optimizer' | 'learningRate' | 'momentum' | 'batchSize'>;

type Variant = Omit<RunConfig, 'corruption' | 'seed'>;

// The cap lets the fully corrupted base run reach ~1.0 training accuracy (77 epochs in a pilot);
// harder variants (dropout, augmentation, lower momentum) end at the cap, short of it.
const SGD_BASE: Variant = {
  ...DEFAULT_RECIPE, dropout: 0, l2: 0, batchNorm: false, augment: false, epochs: 80,
};
const ADAM_BASE: Variant = { ...SGD_BASE, optimizer: 'adam', learningRate: 1e-3, momentum: 0 };

/** A stable, readable name for a run; it contains every setting, so equal ids mean equal runs. */
export function runId(config: RunConfig): string {
  return `${variantKey(config)}-p${config.corruption}-s${config.seed}`;
}

function variantKey(c: Variant): string {
  return [
    c.optimizer, `lr${c.learningRate}`, `m${c.momentum}`, `bs${c.batchSize}`, `do${c.dropout}`, `l2${c.l2}`,
    `bn${c.batchNorm ? 1 : 0}`, `aug${c.augment ? 1 : 0}`, `e${c.epochs}`,
  ].join('-');
}

/** Every variant at every corruption level; a run's seed is derived from its settings. */
export function crossCorruptions(variants: readonly Variant[], corruptions: readonly number[] = CORRUPTIONS): RunConfig[] {
  return variants.flatMap((v) => corruptions.map((corruption) => {
    const seed = crc32.str(`${variantKey(v)}-p${corruption}`) >>> 0;
    return { ...v, corruption, seed };
  }));
}

// Scaled to ~40 minutes on 2 CPU cores (REPRODUCTION.md); the probe takes the monitor's default of
// 64 samples per class, so the shipped gap model sees live what it was fit on.
const SHIPPED_SETTINGS: SweepSettings = {
  trainSize: 1000, testSize: 1000, dataSeed: 0, targetAccuracy: 0.99, probeEvery: 5, samplesPerClass: 64,
};

export const GRID_PRESETS: Record<string, GridPreset> = {
  'mnist-cnn3': {
    description: 'The shipped reproduction, SGD with momentum (the recipe of the shipped gap model and the demo): '
      + 'dropout, L2, momentum, batch size and augmentation varied one at a time, at corruption 0..1.',
    settings: SHIPPED_SETTINGS,
    runs: crossCorruptions([
      SGD_BASE,
      { ...SGD_BASE, dropout: 0.5 },
      { ...SGD_BASE, l2: 1e-4 },
      { ...SGD_BASE, momentum: 0.5 },
      { ...SGD_BASE, batchSize: 32 },
      { ...SGD_BASE, augment: true },
    ]),
  },
  'mnist-cnn3-adam': {
    description: 'The same network and data trained with Adam, reported beside the shipped SGD sweep.',
    settings: SHIPPED_SETTINGS,
    runs: crossCorruptions([ADAM_BASE, { ...ADAM_BASE, dropout: 0.5 }]),
  },
  paper: {
    description: "Every factor of the paper's grid varied one at a time around SGD-momentum (batch norm, "
      + 'dropout 0.3/0.5, momentum 0/0.5, L2, batch size 256/512, augmentation), at corruption 0..1: for a cluster.',
    settings: { ...SHIPPED_SETTINGS, trainSize: 8000 },
    runs: crossCorruptions([
      SGD_BASE,
      { ...SGD_BASE, batchNorm: true },
      { ...SGD_BASE, dropout: 0.3 },
      { ...SGD_BASE, dropout: 0.5 },
      { ...SGD_BASE, momentum: 0 },
      { ...SGD_BASE, momentum: 0.5 },
      { ...SGD_BASE, l2: 1e-4 },
      { ...SGD_BASE, batchSize: 256 },
      { ...SGD_BASE, batchSize: 512 },
      { ...SGD_BASE, augment: true },
    ].map((v) => ({ ...v, epochs: 100 }))),
  },
  tiny: {
    description: 'Three small runs for tests and a smoke check (seconds).',
    settings: { trainSize: 60, testSize: 40, dataSeed: 0, targetAccuracy: 0.99, probeEvery: 1, samplesPerClass: 2 },
    runs: crossCorruptions([{ ...SGD_BASE, epochs: 2, batchSize: 32 }], [0, 1]).concat(
      crossCorruptions([{ ...ADAM_BASE, epochs: 2, batchSize: 32, augment: true, dropout: 0.5 }], [0.5]),
    ),
  },
};

export function gridPreset(name: string): GridPreset {
  const preset = GRID_PRESETS[name];
  if (!preset) throw new Error(`grid must be one of ${Object.keys(GRID_PRESETS).join(', ')}, got '${name}'`);
  return preset;
}

/** Shard `index` of `count` (1-based, as "i/n" on the command line). */
export interface Shard { index: number; count: number }

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new Error(`shard must be i/n with 1 <= i <= n, e.g. 2/4, got '${text}'`);
  }
  return { index, count };
}

/**
 * The runs of one shard: every n-th run in id order, so the shards partition the grid whatever
 * order it was listed in, and each shard gets a share of every corruption level.
 */
export function selectShard(runs: readonly RunConfig[], shard: Shard): RunConfig[] {
  const sorted = [...runs].sort((a, b) => (runId(a) < runId(b) ? -1 : runId(a) > runId(b) ? 1 : 0));
  return sorted.filter((_, i) => i % shard.count === shard.index - 1);
}
