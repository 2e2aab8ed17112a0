export { sparsityGapMonitor, SparsityGapMonitor, MonitorSetupError, ProbeError } from './monitor.js';
export type { SparsityGapMonitorOptions, MonitorData, EarlyStopOptions, MonitorLogger } from './options.js';
export { resolveMonitorConfig, defaultMonitorConfig, MonitorOptionError, CONFIG_FILE_ENV, type MonitorConfig } from './config.js';
export { evaluateStop, type StopPolicy, type StopPoint, type StopDecision } from './early-stop.js';
export { LOG_KEYS, type ProbeRecord, type ProbeFailure } from './record.js';
export { TAGS as TENSORBOARD_TAGS, metricTag } from './summaries.js';
