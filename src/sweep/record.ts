// The sweep's output: one JSON line per finished run. A line is written with a single append of the
// whole line, so an interrupted sweep leaves only complete lines (a torn last line, which only a
// killed writer or a full disk can leave, is dropped on resume).
import { appendFileSync, existsSync, readFileSync, truncateSync } from 'node:fs';
import type { ClassAblation } from '../ablation/index.js';
import { readJsonLines } from '../util/json-lines.js';
import type { RunConfig, SweepSettings } from './grid.js';

/** The state of a run at one probe: what the monitor would see live at that epoch. */
export interface TrajectoryPoint {
  epoch: number;
  trainAccuracy: number;
  testAccuracy: number;
  /** Observed generalization gap at this epoch: trainAccuracy − testAccuracy. */
  gap: number;
  zeta: number;
  kappa: number;
}

/** One probed class at the end of training: the ablation result with its curves (for plots). */
export type ClassRecord = Omit<ClassAblation, 'order'>;

export interface RunRecord {
  id: string;
  dataset: string;
  architecture: string;
  config: RunConfig;
  /** The sweep settings the run was made with (data sizes and seed, stopping rule, probe). */
  settings: SweepSettings;
  /** The fingerprint a gap model records: target layer, its units M, classes K, input shape. */
  layer: string;
  units: number;
  numClasses: number;
  inputShape: number[];
  backend: string;
  epochsTrained: number;
  /** 'target': training accuracy reached settings.targetAccuracy; 'cap': config.epochs ran out. */
  stoppedBy: 'target' | 'cap';
  /** Accuracy on the training images with the labels trained on, inference mode, no augmentation. */
  trainAccuracy: number;
  /** Accuracy on the held-out images with their true labels. */
  testAccuracy: number;
  gap: number;
  zeta: number;
  kappa: number;
  perClass: ClassRecord[];
  skipped: { classIndex: number; reason: string }[];
  /** Probes every settings.probeEvery epochs; the last point is the final state above. */
  trajectory: TrajectoryPoint[];
  wallSeconds: number;
}

function formatRecord(record: RunRecord): string {
  return `${JSON.stringify(record)}\n`;
}

/** Appends one record as one write. */
export function appendRecord(path: string, record: RunRecord): void {
  appendFileSync(path, formatRecord(record));
}

export interface ReadResult {
  records: RunRecord[];
  /** Bytes of an incomplete last line (no newline), 0 when the file ends cleanly. */
  tornBytes: number;
}

/**
 * Reads the complete lines of a sweep file (none if it does not exist). A complete line that is not
 * a run record is an error naming the line: the file is not ours or was edited, and guessing is worse.
 */
export function readRecords(path: string): ReadResult {
  if (!existsSync(path)) return { records: [], tornBytes: 0 };
  const { entries, tornBytes } = readJsonLines(path);
  const records = entries.map(({ line, value }) => {
    const record = value as Partial<RunRecord>;
    if (typeof record.id !== 'string' || typeof record.config !== 'object' || typeof record.gap !== 'number') {
      throw new Error(`${path}:${line} is not a sweep run record (needs id, config and gap)`);
    }
    return record as RunRecord;
  });
  return { records, tornBytes };
}

/** Drops an incomplete last line so that the next append starts on a fresh line. */
export function dropTornLine(path: string, read: ReadResult): void {
  if (read.tornBytes > 0) truncateSync(path, readFileSync(path).length - read.tornBytes);
}
