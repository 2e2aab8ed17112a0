// Shared by the TensorBoard tests: temporary logdirs, real PNGs, and a clock/timer the test drives.
import { Resvg } from '@resvg/resvg-js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultIdentity } from '../../src/tensorboard/event-file.js';
import type { WriterEnvironment } from '../../src/tensorboard/writer.js';

export function temporaryDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'sgm-tb-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function solidPng(width: number, height: number, fill: string): Uint8Array {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">`
    + `<rect width="${width}" height="${height}" fill="${fill}"/></svg>`;
  return new Uint8Array(new Resvg(svg).render().asPng());
}

/** A fixed clock and a timer that fires only when the test says so. */
export class ManualEnvironment implements WriterEnvironment {
  timers: Array<{ ms: number; fire: () => Promise<void>; done: boolean }> = [];

  constructor(public clockMs = 1_700_000_000_123, private readonly pid = process.pid) {}

  nowMs(): number {
    return this.clockMs;
  }

  schedule(flush: () => Promise<void>, ms: number): () => void {
    const timer = { ms, done: false, fire: () => { timer.done = true; return flush(); } };
    this.timers.push(timer);
    return () => { timer.done = true; };
  }

  identity(nowMs: number, suffix: string) {
    return { ...defaultIdentity(nowMs, suffix), pid: this.pid };
  }

  /** Timers neither fired nor cancelled. */
  get liveTimers() {
    return this.timers.filter((t) => !t.done);
  }
}

/** Polls `condition` until it holds; fails after `limitMs` instead of hanging the suite. */
export async function eventually(condition: () => boolean, limitMs = 5000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
