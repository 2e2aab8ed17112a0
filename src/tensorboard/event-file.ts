// One event file: its name, its `brain.Event:2` first record, and ordered, durable appends.
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { frameRecord } from './record.js';
import { encodeEvent } from './schema.js';

const FILE_VERSION = 'brain.Event:2';
const WRITER_NAME = 'sparsity-gap-monitor';

export interface EventFileIdentity {
  /** Milliseconds since the epoch; the name carries the whole seconds. */
  nowMs: number;
  pid: number;
  host: string;
  suffix: string;
}

// Per-process counter in the name (as TensorBoard's own Python writer does) so two writers opened in
// the same second by one process get different names; the exclusive create below settles the rest.
let fileCounter = 0;

export function eventFileName(id: EventFileIdentity, counter: number): string {
  const seconds = String(Math.floor(id.nowMs / 1000)).padStart(10, '0');
  return `events.out.tfevents.${seconds}.${id.host}.${id.pid}.${counter}${id.suffix}`;
}

export function defaultIdentity(nowMs: number, suffix: string): EventFileIdentity {
  return { nowMs, pid: process.pid, host: hostname(), suffix };
}

export class EventFile {
  private pending: Uint8Array[] = [];
  private writes: Promise<void> = Promise.resolve();
  private closing: Promise<void> | undefined;
  /** The first write error; the file is unusable after it, since later records would leave a gap. */
  failure: Error | undefined;

  private constructor(readonly path: string, private readonly handle: FileHandle) {}

  /** Creates the logdir if needed and a new event file in it that no other writer can be using
   *  (exclusive create), then writes and syncs the `brain.Event:2` record. */
  static async create(logdir: string, id: EventFileIdentity): Promise<EventFile> {
    const dir = resolve(logdir);
    let file: EventFile | undefined;
    try {
      await mkdir(dir, { recursive: true });
      for (;;) {
        const path = join(dir, eventFileName(id, fileCounter++));
        try {
          file = new EventFile(path, await open(path, 'ax'));
          break;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        }
      }
      file.append(encodeEvent({
        wallTime: id.nowMs / 1000,
        step: 0,
        fileVersion: FILE_VERSION,
        sourceMetadata: { writer: WRITER_NAME },
      }));
      await file.flush();
    } catch (error) {
      await file?.close().catch(() => undefined);
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`cannot write TensorBoard event file in logdir '${dir}': ${reason}`, { cause: error });
    }
    return file;
  }

  get pendingRecords(): number {
    return this.pending.length;
  }

  /** Frames one serialized Event and queues it; bytes reach the file on the next flush. */
  append(eventPayload: Uint8Array): void {
    if (this.closing) throw new Error(`event file ${this.path} is closed`);
    this.pending.push(frameRecord(eventPayload));
  }

  /** Writes everything queued so far, after all earlier writes, and resolves once it is synced to
   *  disk. Rejects with the first write error, now and on every later call. */
  flush(): Promise<void> {
    if (this.closing) return this.closing;
    const chunk = Buffer.concat(this.pending);
    this.pending = [];
    const write = this.writes.then(async () => {
      if (this.failure) throw this.failure;
      try {
        if (chunk.length > 0) await this.handle.appendFile(chunk);
        await this.handle.datasync();
      } catch (error) {
        this.failure = error instanceof Error ? error : new Error(String(error));
        throw this.failure;
      }
    });
    this.writes = write.catch(() => undefined);
    return write;
  }

  /** Flushes and closes; later calls return the same promise. */
  close(): Promise<void> {
    this.closing ??= this.flush().finally(() => this.handle.close());
    return this.closing;
  }
}
