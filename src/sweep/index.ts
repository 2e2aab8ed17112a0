export {
  CORRUPTIONS, DEFAULT_RECIPE, GRID_PRESETS, crossCorruptions, gridPreset, parseShard, runId, selectShard,
  type GridPreset, type OptimizerName, type RunConfig, type Shard, type SweepSettings,
} from './grid.js';
export { ARCHITECTURES, resolveArchitecture, type ModelOptions, type SweepArchitecture } from './architecture.js';
export { readRecords, type ClassRecord, type RunRecord, type TrajectoryPoint } from './record.js';
export { trainReferenceRun, type RunContext } from './train.js';
export { planRuns, runSweep, type SweepOptions, type SweepSummary } from './run-sweep.js';
