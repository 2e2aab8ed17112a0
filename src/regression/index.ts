export {
  fitGapModel, GAP_MODEL_VERSION, leastSquares, predictGap, scorePredictions,
  type FitStats, type GapCoefficients, type GapModel, type GapPoint,
} from './fit.js';
export { validateSplits, type SplitResult, type SplitValidation, type Summary, type ValidateOptions } from './validate.js';
export { compareMidTraining, type HeldOutError, type MidTrainingComparison, type ReferenceRun } from './mid-training.js';
export { checkGapModel, loadGapModel, saveGapModel, type LoadedGapModel } from './model-file.js';
export {
  describeMismatch, fingerprintMismatch, optimizerFamily,
  type ArchitectureFingerprint, type FingerprintDifference, type GapModelProvenance, type ProbeSettings,
} from './provenance.js';
