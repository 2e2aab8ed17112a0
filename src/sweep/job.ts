// What a process needs to train runs of one sweep: the dataset, loaded once, and the architecture.
// Shared by the in-process path and the worker processes, so both train exactly alike.
import { disposeDataset, loadDataset } from '../data/index.js';
import { resolveArchitecture } from './architecture.js';
import type { SweepSettings } from './grid.js';
import type { RunContext } from './train.js';

/** A sweep's shared inputs, by name (plain data: it crosses to worker processes). */
export interface SweepJob {
  /** 'mnist' or 'idx:<dir>'. */
  dataset: string;
  /** A registered architecture ('cnn3') or the path of an architecture module. */
  architecture: string;
  settings: SweepSettings;
}

export async function openRunContext(job: SweepJob): Promise<RunContext> {
  const architecture = await resolveArchitecture(job.architecture);
  const { trainSize, testSize, dataSeed } = job.settings;
  const dataset = loadDataset(job.dataset, { trainSize, testSize, seed: dataSeed });
  return { datasetName: job.dataset, dataset, architecture, settings: job.settings };
}

export function closeRunContext(context: RunContext): void {
  disposeDataset(context.dataset);
}
