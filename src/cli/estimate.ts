// `sparsity-gap estimate`: ζ, κ and the predicted gap of a saved tfjs model, probed on its training
// data. Loads model.json and its weight files straight from disk, so it needs no tfjs-node.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';
import { InvalidArgumentError, type Command } from 'commander';
import { cumulativeAblation, type AblationResult, type AblationStrategy } from '../ablation/index.js';
import { initBackend, type BackendPreference } from '../backend/index.js';
import { disposeDataset, loadDataset } from '../data/index.js';
import {
  describeMismatch, fingerprintMismatch, loadGapModel, predictGap, type LoadedGapModel,
} from '../regression/index.js';

/** Reads a tfjs Layers model saved as model.json + binary weight files (tfjs' `file://` format). */
function fileModelHandler(modelPath: string): tf.io.IOHandler {
  const path = modelPath.startsWith('file://') ? fileURLToPath(modelPath) : resolve(modelPath);
  return {
    async load() {
      let modelJSON: tf.io.ModelJSON;
      try {
        modelJSON = JSON.parse(await readFile(path, 'utf8')) as tf.io.ModelJSON;
      } catch (error) {
        throw new Error(`model ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
      }
      if (!modelJSON.modelTopology) throw new Error(`model ${path}: no modelTopology; is it a tfjs Layers model.json?`);
      return tf.io.getModelArtifactsForJSON(modelJSON, async (manifest) => {
        const files = manifest.flatMap((group) => group.paths).map((p) => resolve(dirname(path), p));
        const buffers = await Promise.all(files.map(async (file) => {
          try {
            const bytes = await readFile(file);
            return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
          } catch (error) {
            throw new Error(`model ${path}: weight file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
          }
        }));
        return [tf.io.getWeightSpecs(manifest), tf.io.CompositeArrayBuffer.join(buffers)];
      });
    },
  };
}

export interface EstimateOptions {
  /** model.json of a tfjs Layers model (path or file:// URL). */
  model: string;
  /** 'mnist' or 'idx:<dir>'. */
  dataset: string;
  gapModel?: string;
  layer?: string;
  /** Classes to probe (how many, drawn with the seed). Default: all. */
  classes?: number;
  samplesPerClass?: number;
  seed?: number;
  strategy?: AblationStrategy;
  /** Training split as the model was trained on it (see loadDataset). */
  trainSize?: number;
  dataSeed?: number;
}

export interface EstimateResult {
  model: string;
  dataset: string;
  ablation: AblationResult;
  predictedGap: number | null;
  gapModel: LoadedGapModel | null;
  /** Fields in which the model differs from the one the gap model was fit for (empty = none known). */
  mismatch: string;
}

export async function estimateGap(options: EstimateOptions): Promise<EstimateResult> {
  const gapModel = options.gapModel === undefined ? null : loadGapModel(options.gapModel);
  const model: LayersModel = await loadLayersModel(fileModelHandler(options.model));
  const dataset = loadDataset(options.dataset, { seed: options.dataSeed, trainSize: options.trainSize });
  const labels = tf.tensor1d(dataset.train.labels, 'int32');
  try {
    const ablation = await cumulativeAblation(model, { x: dataset.train.x, y: labels }, {
      layer: options.layer, classes: options.classes, samplesPerClass: options.samplesPerClass,
      seed: options.seed ?? 0, strategy: options.strategy,
    });
    const fingerprint = gapModel?.provenance?.fingerprint;
    const differences = fingerprint ? fingerprintMismatch(fingerprint, {
      layer: ablation.layer, units: ablation.units, numClasses: ablation.numClasses,
      inputShape: model.inputs[0].shape.slice(1),
    }) : [];
    return {
      model: options.model, dataset: options.dataset, ablation, gapModel,
      predictedGap: gapModel && Number.isFinite(ablation.zeta) ? predictGap(gapModel, ablation) : null,
      mismatch: describeMismatch(differences),
    };
  } finally {
    labels.dispose();
    model.dispose();
    disposeDataset(dataset);
  }
}

const integer = (min: number) => (text: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`must be an integer >= ${min}, got '${text}'`);
  return n;
};

function report(result: EstimateResult): string {
  const { ablation: a } = result;
  const lines = [
    `model ${result.model}: layer ${a.layer} (${a.units} units), ${a.numClasses} classes; dataset ${result.dataset}`,
    `probed ${a.perClass.length} classes, ${a.perClass.reduce((n, c) => n + c.samples, 0)} training samples (${a.strategy})`,
    ...a.skipped.map((s) => `skipped class ${s.classIndex}: ${s.reason}`),
    `zeta  ${a.zeta.toFixed(4)}`,
    `kappa ${a.kappa.toFixed(4)}`,
  ];
  if (result.gapModel) {
    const kind = result.gapModel.provenance?.points;
    lines.push(`predicted gap ${result.predictedGap?.toFixed(4) ?? 'n/a'}${kind ? ` (${kind}-fit gap model)` : ''}`);
    if (result.mismatch) lines.push(`warning: the gap model was fit for a different setup (${result.mismatch})`);
  }
  return lines.join('\n');
}

interface EstimateFlags extends Omit<EstimateOptions, 'strategy'> {
  backend: BackendPreference;
  strategy?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program.command('estimate')
    .description('ζ, κ and the predicted generalization gap of a saved tfjs Layers model, probed on the training '
      + "split of a dataset (the labels the dataset has: pass the split the model was trained on)")
    .requiredOption('--model <model.json>', 'tfjs Layers model (model.json beside its weight files)')
    .requiredOption('--dataset <name>', "'mnist' (bundled) or 'idx:<dir>' (MNIST-format files)")
    .option('--gap-model <file>', 'gap model JSON; without it only ζ and κ')
    .option('--layer <name>', 'layer to ablate (default: the last convolution)')
    .option('--classes <n>', 'probe n classes drawn with the seed (default: all)', integer(1))
    .option('--samples-per-class <n>', 'training samples per probed class (default: all of them)', integer(1))
    .option('--seed <n>', 'seed of the class and sample draw', integer(0), 0)
    .option('--strategy <name>', 'ablation strategy: auto, prefix, batched or stepwise')
    .option('--train-size <n>', 'training images of the dataset split (see the dataset loader)', integer(1))
    .option('--data-seed <n>', 'seed of the dataset train/test split', integer(0))
    .option('--backend <name>', 'tfjs backend: auto, tensorflow, wasm or cpu', 'auto')
    .option('--json', 'print one JSON object instead of text')
    .action(async (flags: EstimateFlags, command: Command) => {
      const { backend, json, ...options } = flags;
      let result: EstimateResult;
      try {
        await initBackend(backend, { quiet: json });
        result = await estimateGap({ ...options, strategy: options.strategy as AblationStrategy | undefined });
      } catch (error) {
        command.error(`error: ${(error as Error).message}`);
      }
      if (!json) {
        console.log(report(result));
        return;
      }
      const { ablation: a } = result;
      console.log(JSON.stringify({
        model: result.model, dataset: result.dataset, layer: a.layer, units: a.units, numClasses: a.numClasses,
        zeta: a.zeta, kappa: a.kappa, predictedGap: result.predictedGap, mismatch: result.mismatch || null,
        perClass: a.perClass.map(({ classIndex, samples, trainAccuracy, n0, n0r, zeta, kappa }) => ({ classIndex, samples, trainAccuracy, n0, n0r, zeta, kappa })),
        skipped: a.skipped,
      }));
    });
}
