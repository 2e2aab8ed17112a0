// Drives Python's TensorBoard for the integration test: its loaders (tb_read.py) and its server.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const READER = join(import.meta.dirname, 'tb_read.py');
export const ENABLE_HINT = 'python3 -m venv .venv && .venv/bin/pip install -r requirements-dev.txt, '
  + 'then run with SGM_PYTHON=$PWD/.venv/bin/python';

/** Why Python's TensorBoard cannot be used here, or undefined when it can. */
export async function tensorboardUnavailable(python: string | undefined): Promise<string | undefined> {
  if (!python) return 'SGM_PYTHON is not set';
  try {
    await run(python, ['-c', 'import tensorboard']);
    return undefined;
  } catch (error) {
    return `${python} cannot import tensorboard: ${(error as Error).message.split('\n')[0]}`;
  }
}

/** Parses tb_read.py's repr() floats, which keep NaN and ±inf. */
export function pythonFloat(text: string): number {
  return ({ nan: NaN, inf: Infinity, '-inf': -Infinity } as Record<string, number>)[text] ?? Number(text);
}

export async function tbRead<T>(python: string, mode: 'runs' | 'count', args: string[]): Promise<{ version: string; result: T }> {
  const { stdout } = await run(python, [READER, mode, ...args], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as { version: string; result: T };
}

async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export class TensorBoardServer {
  private output = '';
  private exited = false;

  private constructor(private readonly child: ChildProcess, readonly url: string) {
    child.stdout?.on('data', (chunk) => { this.output += chunk; });
    child.stderr?.on('data', (chunk) => { this.output += chunk; });
    child.on('exit', () => { this.exited = true; });
  }

  /**
   * `tensorboard --logdir` on a free loopback port with the Rust data server (`--load_fast=true`:
   * what the default `auto` picks when tensorboard-data-server is installed, but failing loudly
   * instead of falling back to the Python loader), reloading every second.
   */
  static async start(python: string, logdir: string): Promise<TensorBoardServer> {
    const port = await freeLoopbackPort();
    const child = spawn(python, [
      '-m', 'tensorboard.main', '--logdir', logdir, '--host', '127.0.0.1', '--port', String(port),
      '--reload_interval', '1', '--load_fast', 'true',
    ], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] }); // own process group: it has a child, the data server
    return new TensorBoardServer(child, `http://127.0.0.1:${port}`);
  }

  /** GETs `path` until `accept` takes the JSON answer; fails with TensorBoard's output after `limitMs`. */
  async poll<T>(path: string, accept: (body: T) => boolean, limitMs = 30_000): Promise<T> {
    const deadline = Date.now() + limitMs;
    let last = '';
    for (;;) {
      if (this.exited) throw new Error(`tensorboard exited:\n${this.output}`);
      try {
        const response = await fetch(this.url + path);
        last = `${response.status} ${await response.text()}`;
        if (response.ok) {
          const body = JSON.parse(last.slice(4)) as T;
          if (accept(body)) return body;
        }
      } catch (error) {
        last = (error as Error).message; // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`GET ${path}: no acceptable answer in ${limitMs} ms; last: ${last}\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  async stop(): Promise<void> {
    if (this.exited || this.child.pid === undefined) return;
    const exit = new Promise((resolve) => this.child.once('exit', resolve));
    process.kill(-this.child.pid, 'SIGTERM');
    const timer = setTimeout(() => { if (!this.exited) process.kill(-this.child.pid!, 'SIGKILL'); }, 10_000);
    await exit;
    clearTimeout(timer);
  }
}
