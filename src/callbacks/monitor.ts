// The training callback. Hooks only gather values (probe, logs) and hand them on: the stop decision
// is `evaluateStop`, the numbers come from the ablation engine and the gap model, the files from the
// TensorBoard writer. It runs inside the user's `fit`/`fitDataset`, before tfjs' History, and writes
// its keys into the same epoch-logs object that History and tf.callbacks.earlyStopping read next.
import * as tf from '@tensorflow/tfjs-core';
import { Callback } from '@tensorflow/tfjs-layers';
import { fitsInput, labelsToClassIndices, resolveTargetLayer } from '../ablation/index.js';
import { describeMismatch, fingerprintMismatch, loadGapModel, predictGap, type LoadedGapModel } from '../regression/index.js';
import { MonitorOptionError, type MonitorConfig, type ResolveConfigSources } from './config.js';
import { evaluateStop, type StopPolicy } from './early-stop.js';
import { resolveOptions, type MonitorData, type MonitorLogger, type SparsityGapMonitorOptions } from './options.js';
import { probeClassCount, runProbe } from './probe.js';
import { LOG_KEYS, observedGap, type ProbeFailure, type ProbeRecord } from './record.js';
import { MonitorSummaries, TAGS } from './summaries.js';

type EpochLogs = Record<string, number | tf.Tensor>;

/** Raised before training when the model, the data or the gap model do not fit together. */
export class MonitorSetupError extends Error {
  override name = 'MonitorSetupError';
}

/** A failed probe, thrown out of `fit` only with `onError: 'throw'`. */
export class ProbeError extends Error {
  override name = 'ProbeError';
}

/** Turns the scalar tensors tfjs leaves in epoch logs into numbers, in place (as tfjs' own callbacks do). */
async function resolveLogs(logs: EpochLogs): Promise<Record<string, number>> {
  for (const [key, value] of Object.entries(logs)) {
    if (typeof value === 'number') continue;
    logs[key] = (await value.data())[0];
    value.dispose();
  }
  return { ...(logs as Record<string, number>) };
}

const fmt = (v: number | null) => (v === null ? '—' : v.toFixed(4));

export class SparsityGapMonitor extends Callback {
  /** The resolved settings (defaults, config file, environment and options merged). */
  readonly config: MonitorConfig;
  /** One entry per successful probe of the current (or last) fit. */
  history: ProbeRecord[] = [];
  /** Probes that failed (with `onError: 'warn'`) in the current (or last) fit. */
  failures: ProbeFailure[] = [];
  /** Why the monitor stopped the last fit; null if it did not. */
  stopReason: string | null = null;
  /** The loaded gap model; null without one. */
  gapModel: LoadedGapModel | null = null;

  private readonly data: MonitorData;
  private readonly gapModelSource: string | object | null;
  private readonly logger: MonitorLogger;
  /** Class index per training sample, int32 [N], alive from onTrainBegin to onTrainEnd. */
  private labels: tf.Tensor1D | null = null;
  private layerName = '';
  private numClasses = 0;
  private summaries: MonitorSummaries | null = null;
  private bestWeights: tf.Tensor[] | null = null;
  private lastEpoch = -1;
  private lastObservedGap: number | null = null;
  private lastProbeEpoch = -1;
  private fingerprintWarned = false;

  constructor(options: SparsityGapMonitorOptions, sources: ResolveConfigSources = {}) {
    super();
    const resolved = resolveOptions(options, sources);
    this.config = resolved.config;
    this.data = resolved.data;
    this.gapModelSource = resolved.gapModel;
    this.logger = resolved.logger;
    if (this.gapModelSource !== null) {
      try {
        this.gapModel = loadGapModel(this.gapModelSource);
      } catch (error) {
        throw new MonitorOptionError(`sparsityGapMonitor: option gapModel: ${(error as Error).message}`, { cause: error });
      }
    }
  }

  private get stopPolicy(): StopPolicy | null {
    const { maxPredictedGap, patience, startFromEpoch } = this.config.earlyStop;
    return maxPredictedGap === null ? null : { maxPredictedGap, patience, startFromEpoch };
  }

  override async onTrainBegin(): Promise<void> {
    this.disposeBestWeights();
    this.history = [];
    this.failures = [];
    this.stopReason = null;
    this.lastEpoch = -1;
    this.lastProbeEpoch = -1;
    this.lastObservedGap = null;
    this.disposeLabels();
    this.checkModelAndData();
    try {
      this.layerName = resolveTargetLayer(this.model, this.config.layer ?? undefined).name;
    } catch (error) {
      throw new MonitorSetupError(`sparsityGapMonitor: ${(error as Error).message}`, { cause: error });
    }
    this.labels = await this.readLabels();
    this.checkFingerprint();
    this.summaries = this.config.logdir === null ? null : new MonitorSummaries(
      this.config.logdir,
      () => this.describe(),
      (error) => this.logger.warn(`sparsityGapMonitor: the ablation-curves image could not be made: ${error.message}`),
    );
  }

  override async onEpochEnd(epoch: number, logs?: EpochLogs): Promise<void> {
    this.lastEpoch = epoch;
    const metrics = logs ? await resolveLogs(logs) : {};
    this.lastObservedGap = observedGap(metrics);
    if ((epoch + 1) % this.config.everyEpochs === 0) await this.probe(epoch, this.lastObservedGap, logs ?? {});
    await this.report(() => this.summaries?.epoch(epoch, metrics, this.lastObservedGap));
  }

  override async onTrainEnd(): Promise<void> {
    try {
      const probed = this.lastProbeEpoch === this.lastEpoch || this.failures.some((f) => f.epoch === this.lastEpoch);
      if (this.config.probeOnTrainEnd && this.lastEpoch >= 0 && !probed) {
        await this.probe(this.lastEpoch, this.lastObservedGap, undefined);
      }
    } finally {
      await this.report(() => this.release());
    }
  }

  /** Frees what a fit holds: the copies of weights, the labels, the event file and its image renderer. */
  private async release(): Promise<void> {
    this.disposeBestWeights();
    this.disposeLabels();
    const summaries = this.summaries;
    this.summaries = null;
    await summaries?.close();
  }

  // Throwing out of a hook ends `fit` without onTrainEnd, so release first.
  private async abort(error: Error): Promise<never> {
    await this.release().catch(() => {});
    throw error;
  }

  private async probe(epoch: number, observed: number | null, logs: EpochLogs | undefined): Promise<void> {
    const atTrainEnd = logs === undefined;
    let record: ProbeRecord;
    try {
      const { result, seconds } = await runProbe(this.model, { x: this.data.x, labels: this.labels! }, this.config, this.layerName, this.numClasses, epoch);
      const predicted = this.gapModel ? predictGap(this.gapModel, { zeta: result.zeta, kappa: result.kappa }) : null;
      record = {
        epoch, zeta: result.zeta, kappa: result.kappa, predictedGap: predicted, observedGap: observed,
        perClass: result.perClass, skipped: result.skipped, units: result.units, chance: result.chance, seconds, atTrainEnd,
      };
    } catch (error) {
      await this.fail(epoch, error as Error);
      return;
    }
    this.history.push(record);
    this.lastProbeEpoch = epoch;
    if (logs) {
      logs[LOG_KEYS.zeta] = record.zeta;
      logs[LOG_KEYS.kappa] = record.kappa;
      if (record.predictedGap !== null) logs[LOG_KEYS.predictedGap] = record.predictedGap;
    }
    if (this.config.verbose) {
      this.logger.log(
        `sparsityGapMonitor: epoch ${epoch + 1}${atTrainEnd ? ' (end)' : ''}: ζ ${fmt(record.zeta)}  κ ${fmt(record.kappa)}  `
        + `predicted gap ${fmt(record.predictedGap)}  observed gap ${fmt(record.observedGap)}  (${record.seconds.toFixed(2)} s)`,
      );
    }
    await this.report(() => this.summaries?.probe(record));
    if (!atTrainEnd) await this.decideStop(epoch);
  }

  private async decideStop(epoch: number): Promise<void> {
    const policy = this.stopPolicy;
    if (!policy) return;
    const decision = evaluateStop(this.history, policy);
    const restore = this.config.earlyStop.restoreBestWeights;
    if (restore && decision.bestIndex === this.history.length - 1) {
      this.disposeBestWeights();
      this.bestWeights = this.model.getWeights().map((w) => w.clone());
    }
    if (!decision.stop) return;
    this.model.stopTraining = true;
    let reason = `stopped training after epoch ${epoch + 1}: ${decision.reason}`;
    if (restore && this.bestWeights && decision.bestIndex !== null) {
      this.model.setWeights(this.bestWeights);
      const best = this.history[decision.bestIndex];
      reason += `; restored the weights of epoch ${best.epoch + 1} (predicted gap ${fmt(best.predictedGap)})`;
    }
    this.stopReason = reason;
    this.logger.log(`sparsityGapMonitor: ${reason}`);
    await this.report(() => this.summaries?.text(TAGS.earlyStop, reason, epoch));
  }

  private async fail(epoch: number, error: Error): Promise<void> {
    const message = `probe after epoch ${epoch + 1} failed: ${error.message}`;
    if (this.config.onError === 'throw') await this.abort(new ProbeError(`sparsityGapMonitor: ${message}`, { cause: error }));
    this.failures.push({ epoch, message: error.message });
    this.logger.warn(`sparsityGapMonitor: ${message} (training goes on; onError: 'throw' stops it)`);
    await this.report(() => this.summaries?.text(TAGS.probeError, message, epoch));
  }

  // TensorBoard output is a side channel: a full disk must not end the user's training either.
  // After a failure the rest of the fit writes no events (one warning, not one per epoch).
  private async report(write: () => Promise<void> | undefined): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (this.config.onError === 'throw') await this.abort(error as Error);
      const failed = this.summaries;
      this.summaries = null;
      failed?.close().catch(() => {}); // frees the image renderer; the file is what failed
      this.logger.warn(
        `sparsityGapMonitor: writing TensorBoard events to ${this.config.logdir} failed, no more events this fit: ${(error as Error).message}`,
      );
    }
  }

  private disposeBestWeights(): void {
    if (this.bestWeights) tf.dispose(this.bestWeights);
    this.bestWeights = null;
  }

  private checkModelAndData(): void {
    const model = this.model;
    if (!model) throw new MonitorSetupError('sparsityGapMonitor: no model; use the monitor as a callback of model.fit or model.fitDataset');
    if (model.inputs.length !== 1 || model.outputs.length !== 1) {
      throw new MonitorSetupError(`sparsityGapMonitor: the model must have one input and one output, it has ${model.inputs.length} and ${model.outputs.length}`);
    }
    const outShape = model.outputs[0].shape;
    if (outShape.length !== 2 || outShape[1] === null) {
      throw new MonitorSetupError(`sparsityGapMonitor: the model's output must be class scores [batch, K], it is [${outShape}]`);
    }
    this.numClasses = outShape[1];
    for (const [name, t] of Object.entries(this.data)) {
      if (t instanceof tf.Tensor && t.isDisposed) throw new MonitorSetupError(`sparsityGapMonitor: data.${name} has been disposed`);
    }
    if (!fitsInput(model.inputs[0].shape, this.data.x.shape)) {
      const inShape = model.inputs[0].shape.slice(1);
      throw new MonitorSetupError(
        `sparsityGapMonitor: data.x samples have shape [${this.data.x.shape.slice(1)}] but the model's input is [${inShape.map((d) => d ?? 'any')}]`,
      );
    }
  }

  /** The class of every sample as an int32 tensor, checked against the model's K. */
  private async readLabels(): Promise<tf.Tensor1D> {
    const { y } = this.data;
    const given = y instanceof tf.Tensor ? y : tf.tensor1d(Array.from(y));
    try {
      return tf.tensor1d(await labelsToClassIndices(given, this.numClasses), 'int32');
    } catch (error) {
      throw new MonitorSetupError(`sparsityGapMonitor: data.${(error as Error).message}`, { cause: error });
    } finally {
      if (given !== y) given.dispose();
    }
  }

  private disposeLabels(): void {
    this.labels?.dispose();
    this.labels = null;
  }

  private checkFingerprint(): void {
    const expected = this.gapModel?.provenance?.fingerprint;
    if (!expected || this.fingerprintWarned) return;
    const layer = this.model.getLayer(this.layerName);
    const shape = layer.outputShape as (number | null)[];
    const actual = {
      layer: this.layerName,
      units: shape[shape.length - 1] ?? undefined,
      numClasses: this.numClasses,
      inputShape: this.model.inputs[0].shape.slice(1),
      optimizer: this.model.optimizer?.getClassName(),
      // No architecture name: model names are not identities ('sequential_3' can be cnn3); the
      // structural fields above are what the coefficients depend on.
    };
    const differing = fingerprintMismatch(expected, actual);
    if (differing.length === 0) return;
    this.fingerprintWarned = true;
    this.logger.warn(
      `sparsityGapMonitor: the gap model was fit for a different setup (${describeMismatch(differing)}); `
      + 'its predicted gap may not mean much for this model',
    );
  }

  /** The `sparsity/config` text: settings and which kind of gap model is loaded. */
  private describe(): string {
    const c = this.config;
    const rows: [string, unknown][] = [
      ['layer', `${this.layerName} (${c.layer === null ? 'last convolution' : 'chosen'})`],
      ['everyEpochs', c.everyEpochs],
      ['classesPerProbe', `${probeClassCount(c, this.numClasses)}${c.classesPerProbe === null ? ' (min(10, K))' : ''}`],
      ['samplesPerClass', c.samplesPerClass],
      ['chance', c.chance ?? `1/K = ${(1 / this.numClasses).toFixed(4)}`],
      ['score', c.score], ['normalizeKappa', c.normalizeKappa], ['seed', c.seed], ['strategy', c.strategy],
      ['earlyStop', c.earlyStop.maxPredictedGap === null ? 'off' : JSON.stringify(c.earlyStop)],
      ['gapModel', this.describeGapModel()],
    ];
    return ['| option | value |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${String(v).replace(/\|/g, '\\|')} |`)].join('\n');
  }

  private describeGapModel(): string {
    const model = this.gapModel;
    if (!model) return 'none: ζ and κ only';
    const source = typeof this.gapModelSource === 'string' ? `${this.gapModelSource}: ` : '';
    const term = (v: number) => `${v < 0 ? '−' : '+'} ${Math.abs(v).toFixed(4)}`;
    const formula = `ĝ = ${model.a.toFixed(4)}·ζ ${term(model.b)}·κ ${term(model.c)}`;
    const kind = model.provenance?.points;
    const meaning = kind === 'trajectory'
      ? 'trajectory-fit (fit on probes taken during training): the predicted gap is the gap at the probed epoch'
      : kind === 'final'
        ? 'final-fit (fit on fully trained networks): the predicted gap is the end-of-training gap; early in training it is an extrapolation'
        : 'of unknown kind (no provenance)';
    const probe = model.provenance?.probe;
    const probed = probe?.samplesPerClass === undefined ? '' : `; its reference runs were probed with ${probe.samplesPerClass} samples per class`;
    return `${source}${formula}, ${meaning}${probed}`;
  }
}

/**
 * A tfjs training callback that probes the sparsity of the last conv layer every few epochs and
 * predicts the generalization gap.
 * @example
 * await model.fit(x, y, { epochs: 30, validationSplit: 0.1, callbacks: [sparsityGapMonitor({
 *   data: { x, y }, logdir: 'runs/a', gapModel: 'config/gap-models/mnist-cnn3.json',
 *   earlyStop: { maxPredictedGap: 0.2 } })] });
 */
export function sparsityGapMonitor(options: SparsityGapMonitorOptions): SparsityGapMonitor {
  return new SparsityGapMonitor(options);
}
