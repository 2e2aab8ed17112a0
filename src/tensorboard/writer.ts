// The summary writer: checks arguments, encodes summaries into Events and queues them on one event
// file, flushing on a timer, when the queue is full, and on flush()/close().
import {
  checkHistogramValues, checkPng, checkPositiveInteger, checkScalarValue, checkStep, checkTag, checkText, show,
} from './arguments.js';
import { defaultIdentity, EventFile, type EventFileIdentity } from './event-file.js';
import { encodeEvent, type SummaryValueMessage } from './schema.js';
import {
  histogramValue, imageValue, pluginMetadata, scalarValue, textValue, type SummaryKind,
} from './summaries.js';

export interface SummaryWriterOptions {
  /** Queued events are written at most this many milliseconds after the first of them. Default 2000. */
  flushMillis?: number;
  /** Queued events are written as soon as this many are waiting. Default 10. */
  maxQueue?: number;
  /** Appended to the event file's name, e.g. `'.v2'`; no path separators. Default `''`. */
  filenameSuffix?: string;
}

const OPTION_NAMES: readonly string[] = ['flushMillis', 'maxQueue', 'filenameSuffix'] satisfies Array<keyof SummaryWriterOptions>;

export interface HistogramOptions {
  /** Number of equal-width buckets between the smallest and largest value. Default 30 (TF2's). */
  bins?: number;
}

export interface ImageOptions {
  /** Must equal the PNG's own width and height. */
  width: number;
  height: number;
}

export interface SummaryWriter {
  /** The event file this writer owns; no other writer writes to it. */
  readonly path: string;
  /** A point of a line chart (TensorBoard's Scalars tab). NaN and ±Infinity are written as they are. */
  scalar(tag: string, value: number, step: number): void;
  /** A distribution of finite values (Histograms and Distributions tabs). */
  histogram(tag: string, values: readonly number[] | Float32Array | Float64Array, step: number,
    options?: HistogramOptions): void;
  /** A PNG image (Images tab). */
  image(tag: string, png: Uint8Array, step: number, options: ImageOptions): void;
  /** Markdown text (Text tab). */
  text(tag: string, markdown: string, step: number): void;
  /** Resolves when everything queued so far is written and synced to disk. */
  flush(): Promise<void>;
  /** Flushes and closes the file; safe to call more than once. Writing after close throws. */
  close(): Promise<void>;
}

/** Clock and timer, replaceable so tests drive the flush timer without sleeping. */
export interface WriterEnvironment {
  nowMs(): number;
  /** Calls `flush` once after `ms`; returns a cancel function. Must not keep the process alive. */
  schedule(flush: () => Promise<void>, ms: number): () => void;
  identity(nowMs: number, suffix: string): EventFileIdentity;
}

const realEnvironment: WriterEnvironment = {
  nowMs: () => Date.now(),
  schedule(flush, ms) {
    const timer = setTimeout(() => void flush(), ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
  identity: defaultIdentity,
};

/**
 * Opens a new event file in `logdir` (created if missing) and returns a writer for it.
 * Rejects, naming the path, if the logdir cannot be written.
 *
 * @example
 * const writer = await createSummaryWriter('logs/run-1');
 * writer.scalar('loss', 0.25, 1);
 * await writer.close();
 */
export function createSummaryWriter(logdir: string, options: SummaryWriterOptions = {}): Promise<SummaryWriter> {
  return openSummaryWriter(logdir, options, realEnvironment);
}

/** createSummaryWriter with the clock and timer given; tests drive them. */
export async function openSummaryWriter(
  logdir: string, options: SummaryWriterOptions, environment: WriterEnvironment,
): Promise<SummaryWriter> {
  if (typeof logdir !== 'string' || logdir.length === 0) {
    throw new TypeError(`logdir must be a non-empty string, got ${show(logdir)}`);
  }
  const unknown = Object.keys(options).filter((key) => !OPTION_NAMES.includes(key));
  if (unknown.length > 0) {
    throw new TypeError(`unknown option ${show(unknown[0])}; the options are ${OPTION_NAMES.join(', ')}`);
  }
  const flushMillis = options.flushMillis ?? 2000;
  if (typeof flushMillis !== 'number' || !(flushMillis > 0) || !Number.isFinite(flushMillis)) {
    throw new TypeError(`options.flushMillis must be a positive number of milliseconds, got ${show(flushMillis)}`);
  }
  const maxQueue = options.maxQueue ?? 10;
  checkPositiveInteger('options.maxQueue', maxQueue);
  const suffix = options.filenameSuffix ?? '';
  if (typeof suffix !== 'string' || /[/\\]/.test(suffix)) {
    throw new TypeError(`options.filenameSuffix must be a string without path separators, got ${show(suffix)}`);
  }
  const file = await EventFile.create(logdir, environment.identity(environment.nowMs(), suffix));
  return new EventFileSummaryWriter(file, flushMillis, maxQueue, environment);
}

class EventFileSummaryWriter implements SummaryWriter {
  /** Each tag's kind; TensorBoard needs the plugin metadata only on a tag's first value. */
  private readonly tagKinds = new Map<string, SummaryKind>();
  private cancelTimer: (() => void) | undefined;

  constructor(
    private readonly file: EventFile,
    private readonly flushMillis: number,
    private readonly maxQueue: number,
    private readonly environment: WriterEnvironment,
  ) {}

  get path(): string {
    return this.file.path;
  }

  scalar(tag: string, value: number, step: number): void {
    this.checkWrite('scalars', tag, step);
    checkScalarValue(value);
    this.enqueue('scalars', step, scalarValue(tag, value));
  }

  histogram(tag: string, values: readonly number[] | Float32Array | Float64Array, step: number,
    options: HistogramOptions = {}): void {
    this.checkWrite('histograms', tag, step);
    checkHistogramValues(values);
    const bins = options.bins ?? 30;
    checkPositiveInteger('options.bins', bins);
    this.enqueue('histograms', step, histogramValue(tag, values, bins));
  }

  image(tag: string, png: Uint8Array, step: number, options: ImageOptions): void {
    this.checkWrite('images', tag, step);
    const { width, height } = options ?? {};
    checkPositiveInteger('options.width', width);
    checkPositiveInteger('options.height', height);
    checkPng(png, width, height);
    this.enqueue('images', step, imageValue(tag, png, width, height));
  }

  text(tag: string, markdown: string, step: number): void {
    this.checkWrite('text', tag, step);
    checkText(markdown);
    this.enqueue('text', step, textValue(tag, markdown));
  }

  flush(): Promise<void> {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    return this.file.flush();
  }

  close(): Promise<void> {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    return this.file.close();
  }

  private checkWrite(kind: SummaryKind, tag: string, step: number): void {
    checkTag(tag);
    checkStep(step);
    if (this.file.failure) {
      throw new Error(`cannot write to ${this.path}: an earlier write failed: ${this.file.failure.message}`,
        { cause: this.file.failure });
    }
    const known = this.tagKinds.get(tag);
    if (known !== undefined && known !== kind) {
      throw new TypeError(`tag ${show(tag)} already holds ${known}; use another tag for ${kind}`);
    }
  }

  private enqueue(kind: SummaryKind, step: number, value: SummaryValueMessage): void {
    if (!this.tagKinds.has(value.tag)) value.metadata = pluginMetadata(kind);
    this.file.append(encodeEvent({ wallTime: this.environment.nowMs() / 1000, step, summary: { value: [value] } }));
    this.tagKinds.set(value.tag, kind);

    if (this.file.pendingRecords >= this.maxQueue) {
      void this.flush().catch(() => undefined); // kept in file.failure and reported by the next call
    } else {
      this.cancelTimer ??= this.environment.schedule(() => {
        this.cancelTimer = undefined;
        return this.file.flush().catch(() => undefined);
      }, this.flushMillis);
    }
  }
}
