// Renders the monitor's ablation-curves image in a child process. Laying out the Vega-Lite figure
// and rasterizing it takes about as long as the probe itself (0.2–0.4 s); in a child it runs on the
// other core while training goes on, instead of inside the epoch. The child starts on the first image
// and ends with `close()`; it never keeps the user's process alive while idle. If it cannot start or
// dies, images are rendered in this process instead.
import { fork, type ChildProcess } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClassCurves, CurvesOptions, PngImage } from '../plots/index.js';

export interface CurvesRequest {
  id: number;
  classes: ClassCurves[];
  options: CurvesOptions;
}
export type CurvesReply = { id: number; image: PngImage; error?: undefined } | { id: number; error: string; image?: undefined };

// curves-process.ts under tsx (tests, examples), curves-process.js once built.
const CHILD = fileURLToPath(new URL(`./curves-process${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

async function renderHere(classes: ClassCurves[], options: CurvesOptions): Promise<PngImage> {
  const { renderAblationCurvesPng } = await import('../plots/index.js');
  return renderAblationCurvesPng(classes, options);
}

export class CurvesRenderer {
  private child: ChildProcess | null = null;
  private broken = false;
  private nextId = 0;
  private readonly pending = new Map<number, { request: CurvesRequest; resolve: (image: PngImage) => void; reject: (error: Error) => void }>();

  render(classes: ClassCurves[], options: CurvesOptions): Promise<PngImage> {
    const child = this.broken ? null : this.child ?? this.start();
    if (!child) return renderHere(classes, options);
    const request: CurvesRequest = { id: this.nextId++, classes, options };
    return new Promise((resolve, reject) => {
      this.pending.set(request.id, { request, resolve, reject });
      child.channel?.ref();
      child.send(request);
    });
  }

  /** Ends the child once the images asked for are done. */
  close(): void {
    this.child?.disconnect();
    this.child = null;
  }

  private start(): ChildProcess | null {
    let child: ChildProcess;
    try {
      child = fork(CHILD, [], {
        // The loader flags (tsx) carry over; a debugger port would clash.
        execArgv: process.execArgv.filter((arg) => !/^--(inspect|debug)/.test(arg)),
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
    } catch {
      this.broken = true;
      return null;
    }
    child.unref();
    child.channel?.unref();
    child.on('message', (reply: CurvesReply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) child.channel?.unref();
      if (reply.image) waiting.resolve({ ...reply.image, png: new Uint8Array(reply.image.png) });
      else waiting.reject(new Error(reply.error));
    });
    const fallBack = () => {
      this.broken = true;
      if (this.child === child) this.child = null;
      for (const { request, resolve, reject } of this.pending.values()) {
        renderHere(request.classes, request.options).then(resolve, reject);
      }
      this.pending.clear();
    };
    child.on('error', fallBack);
    child.on('exit', () => { if (this.pending.size > 0) fallBack(); });
    this.child = child;
    return child;
  }
}
