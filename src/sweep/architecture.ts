// The architectures a sweep can train: the bundled reference CNN by name, or a user's own from an ES
// module, so that anyone can make a gap model for their architecture with the same sweep and fit.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as tfl from '@tensorflow/tfjs-layers';
import { CNN3_ARCHITECTURE, CNN3_TARGET_LAYER, compileCnn3, type Cnn3Options, type TrainingRecipe } from '../models/cnn.js';

/** What the sweep varies in a model (see RunConfig); `inputShape` and `numClasses` come from the data. */
export type ModelOptions = Required<Pick<Cnn3Options, 'inputShape' | 'numClasses' | 'dropout' | 'l2' | 'batchNorm' | 'seed'>>;

export interface SweepArchitecture {
  /** Recorded in every run and in the gap model's fingerprint. */
  name: string;
  /** The layer the probe ablates. */
  targetLayer: string;
  /** A fresh model, compiled for one-hot labels with `metrics: ['accuracy']`. */
  build(options: ModelOptions, recipe: TrainingRecipe): tfl.LayersModel;
}

export const ARCHITECTURES: Record<string, SweepArchitecture> = {
  [CNN3_ARCHITECTURE]: { name: CNN3_ARCHITECTURE, targetLayer: CNN3_TARGET_LAYER, build: compileCnn3 },
};

/**
 * A registered name ('cnn3'), or the path of an ES module whose default export (or export
 * `architecture`) is a SweepArchitecture.
 */
export async function resolveArchitecture(spec: string): Promise<SweepArchitecture> {
  if (ARCHITECTURES[spec]) return ARCHITECTURES[spec];
  if (!/[/\\]|\.[cm]?[jt]s$/.test(spec)) {
    throw new Error(`architecture must be one of ${Object.keys(ARCHITECTURES).join(', ')} or the path of a module, got '${spec}'`);
  }
  const module = await import(pathToFileURL(resolve(spec)).href) as { default?: unknown; architecture?: unknown };
  const candidate = (module.default ?? module.architecture) as Partial<SweepArchitecture> | undefined;
  if (typeof candidate?.name !== 'string' || typeof candidate.targetLayer !== 'string' || typeof candidate.build !== 'function') {
    throw new Error(`architecture module ${spec} must export (default or as 'architecture') { name, targetLayer, build(options, recipe) }`);
  }
  return candidate as SweepArchitecture;
}
