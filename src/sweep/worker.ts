// A worker process of the sweep: its own tfjs engine and backend, one run at a time, records sent
// back to the parent, which alone writes the output file.
import { initBackend, type BackendPreference } from '../backend/index.js';
import type { RunConfig } from './grid.js';
import { closeRunContext, openRunContext, type SweepJob } from './job.js';
import type { RunContext } from './train.js';
import { trainReferenceRun } from './train.js';

export interface RunRequest { job: SweepJob; config: RunConfig; backend: BackendPreference }
/** `setup`: the backend or the sweep's data could not be prepared, so no run of the sweep can train. */
export type RunReply = { ok: true; record: unknown } | { ok: false; message: string; setup?: boolean };

let backendReady: Promise<string> | undefined;
let open: { key: string; context: RunContext } | undefined;

async function handle({ job, config, backend }: RunRequest): Promise<RunReply> {
  try {
    backendReady ??= initBackend(backend);
    await backendReady;
    const key = JSON.stringify(job);
    if (open?.key !== key) {
      if (open) closeRunContext(open.context);
      open = undefined;
      open = { key, context: await openRunContext(job) };
    }
  } catch (err) {
    backendReady = undefined;
    return { ok: false, message: (err as Error).message, setup: true };
  }
  try {
    return { ok: true, record: await trainReferenceRun(config, open.context) };
  } catch (err) {
    return { ok: false, message: (err as Error).stack ?? String(err) };
  }
}

process.on('message', (request: RunRequest) => {
  void handle(request).then((reply) => process.send!(reply));
});
// The parent closing the channel (done, interrupted or gone) ends the worker.
process.on('disconnect', () => process.exit(0));
