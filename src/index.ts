export {
  initBackend, registerWasmTrainingKernels, BACKEND_PREFERENCES, TENSORFLOW_PACKAGES, WASM_TRAINING_KERNELS,
  type BackendName, type BackendPreference, type InitBackendOptions,
} from './backend/index.js';
export {
  buildCnn3, compileCnn3, createOptimizer, CNN3_ARCHITECTURE, CNN3_TARGET_LAYER,
  type Cnn3Options, type TrainingRecipe,
} from './models/cnn.js';
export { disposeTrainedModel } from './models/dispose.js';
export { createRng, type Rng } from './util/random.js';
export {
  corruptLabels, disposeDataset, indicesByClass, loadDataset, loadIdx, loadMnist, MNIST_SIZE, oneHot, parseIdx,
  sampleIndicesByClass, type Dataset, type IdxArray, type LoadOptions, type Split,
} from './data/index.js';
export {
  checkGapModel, compareMidTraining, describeMismatch, fingerprintMismatch, fitGapModel, GAP_MODEL_VERSION, loadGapModel, optimizerFamily,
  predictGap, saveGapModel, validateSplits,
  type ArchitectureFingerprint, type FingerprintDifference, type FitStats, type GapCoefficients, type GapModel,
  type GapModelProvenance, type GapPoint, type LoadedGapModel, type MidTrainingComparison, type ProbeSettings, type ReferenceRun,
  type SplitValidation, type ValidateOptions,
} from './regression/index.js';
export {
  createSummaryWriter, decodeSummaries, findEventFiles, readEventFile,
  type Bucket, type HistogramOptions, type ImageOptions, type SummaryReading, type SummaryWriter, type SummaryWriterOptions,
  type TensorBoardEvent,
} from './tensorboard/index.js';
export {
  cumulativeAblation, keyQuantities, resolveTargetLayer, labelsToClassIndices,
  type AblationOptions, type AblationResult, type AblationStrategy, type ClassAblation,
  type KeyQuantities, type KeyQuantityOptions,
} from './ablation/index.js';
export {
  ablationCurvesSpec, predictedGapSpec, renderAblationCurvesPng, renderPng, renderSvg, sparsityGapSpec, splitSsrSpec,
  svgToPng, writeFitPlots, writePlot, zetaKappaSpec, type ClassCurves, type CurvesOptions, type PngImage, type RenderOptions,
} from './plots/index.js';
export {
  sparsityGapMonitor, SparsityGapMonitor, MonitorSetupError, MonitorOptionError, ProbeError, evaluateStop,
  resolveMonitorConfig, defaultMonitorConfig, CONFIG_FILE_ENV, LOG_KEYS, TENSORBOARD_TAGS, metricTag,
  type SparsityGapMonitorOptions, type MonitorData, type EarlyStopOptions, type MonitorLogger, type MonitorConfig,
  type StopPolicy, type StopPoint, type StopDecision, type ProbeRecord, type ProbeFailure,
} from './callbacks/index.js';
export {
  runSweep, planRuns, trainReferenceRun, readRecords, resolveArchitecture, crossCorruptions, runId, parseShard, selectShard,
  ARCHITECTURES, CORRUPTIONS, DEFAULT_RECIPE, GRID_PRESETS,
  type SweepOptions, type SweepSummary, type RunRecord, type RunConfig, type SweepSettings, type GridPreset,
  type SweepArchitecture, type ModelOptions, type TrajectoryPoint, type ClassRecord, type Shard, type OptimizerName,
} from './sweep/index.js';
