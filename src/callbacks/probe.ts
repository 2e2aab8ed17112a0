// One probe of the live model: the cumulative ablation of the target layer on a fresh seeded draw of
// classes and training samples. The draw is the ablation engine's own (seeded by the monitor's seed
// and the epoch), over labels the monitor reads once per fit, so a probe gathers only the few hundred
// samples it ablates and non-probe epochs cost nothing.
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { cumulativeAblation, type AblationResult } from '../ablation/index.js';
import type { MonitorConfig } from './config.js';

export interface ProbeData {
  x: tf.Tensor;
  /** Class index of every sample, int32 [N]. */
  labels: tf.Tensor1D;
}

/** The seed of the probe after `epoch`: the same (seed, epoch) draws the same classes and samples. */
export const probeSeed = (seed: number, epoch: number) => `sparsity-probe:${seed}:${epoch}`;

/** How many classes a probe draws: `classesPerProbe`, default min(10, K), never more than K. */
export const probeClassCount = (config: MonitorConfig, numClasses: number) =>
  Math.min(config.classesPerProbe ?? 10, numClasses);

export async function runProbe(
  model: tfl.LayersModel, data: ProbeData, config: MonitorConfig, layer: string, numClasses: number, epoch: number,
): Promise<{ result: AblationResult; seconds: number }> {
  const started = performance.now();
  const classes = probeClassCount(config, numClasses);
  const result = await cumulativeAblation(model, { x: data.x, y: data.labels }, {
    layer,
    classes: classes === numClasses ? undefined : classes,
    samplesPerClass: config.samplesPerClass,
    chance: config.chance ?? undefined,
    score: config.score,
    normalizeKappa: config.normalizeKappa,
    seed: probeSeed(config.seed, epoch),
    strategy: config.strategy,
  });
  if (result.perClass.length === 0) {
    throw new Error(`no class could be probed (${result.skipped.map((s) => `class ${s.classIndex}: ${s.reason}`).join('; ')})`);
  }
  return { result, seconds: (performance.now() - started) / 1000 };
}
