// Worker processes for a sweep. tfjs has one engine per process, so runs in one process only take
// turns; separate processes (each with its own backend) are what actually trains in parallel.
import { fork, type ChildProcess } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BackendPreference } from '../backend/index.js';
import type { RunConfig } from './grid.js';
import type { SweepJob } from './job.js';
import type { RunRecord } from './record.js';
import type { RunReply, RunRequest } from './worker.js';

// worker.ts under tsx (tests, `tsx src/cli/main.ts`), worker.js once built.
const WORKER = fileURLToPath(new URL(`./worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url));
const STDERR_TAIL = 4000;

/** The sweep cannot run at all (backend, dataset): raised once, not reported for every run. */
export class SweepSetupError extends Error {}

export class WorkerPool {
  private readonly idle: ChildProcess[] = [];
  private readonly live = new Set<ChildProcess>();
  private readonly stderr = new Map<ChildProcess, string>();

  /** At most `size` workers, started on first use; the caller runs at most `size` runs at once. */
  constructor(private readonly size: number, private readonly backend: BackendPreference) {}

  run(job: SweepJob, config: RunConfig): Promise<RunRecord> {
    const worker = this.idle.pop() ?? this.start();
    return new Promise((resolve, reject) => {
      const done = () => {
        worker.off('message', onMessage);
        worker.off('close', onExit);
      };
      const onMessage = (reply: RunReply) => {
        done();
        this.idle.push(worker);
        if (reply.ok) resolve(reply.record as RunRecord);
        else reject(reply.setup ? new SweepSetupError(reply.message) : new Error(reply.message));
      };
      const onExit = (code: number | null, signal: string | null) => {
        done();
        const tail = this.stderr.get(worker)?.trim();
        reject(new Error(`worker process ended (${signal ?? `exit code ${code}`}) during the run${tail ? `:\n${tail}` : ''}`));
      };
      worker.on('message', onMessage);
      // 'close' comes after the worker's stderr has been read to the end.
      worker.once('close', onExit);
      worker.send({ job, config, backend: this.backend } satisfies RunRequest);
    });
  }

  /** Lets idle workers exit (they end when their channel closes). */
  close(): void {
    for (const worker of this.live) if (worker.connected) worker.disconnect();
  }

  /** Ends every worker now, mid-run included (their unfinished runs are simply not written). */
  kill(): void {
    for (const worker of this.live) worker.kill('SIGTERM');
  }

  private start(): ChildProcess {
    if (this.live.size >= this.size) throw new Error(`WorkerPool: more than ${this.size} runs at once`);
    const worker = fork(WORKER, [], { execArgv: process.execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    this.live.add(worker);
    this.stderr.set(worker, '');
    worker.stderr!.on('data', (chunk: Buffer) => {
      this.stderr.set(worker, (this.stderr.get(worker)! + chunk.toString()).slice(-STDERR_TAIL));
    });
    worker.once('exit', () => {
      this.live.delete(worker);
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
    });
    return worker;
  }
}
