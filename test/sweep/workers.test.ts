// The sweep in worker processes and through the CLI: parallel runs, a dying worker, Ctrl-C, shards.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GRID_PRESETS, planRuns, runId, runSweep, type RunRecord } from '../../src/sweep/index.js';

const lines = (path: string) => readFileSync(path, 'utf8').split('\n').slice(0, -1).map((l) => JSON.parse(l) as RunRecord);

describe('sweep in worker processes', function () {
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'sgm-workers-'));
  // Workers use the backend the suite runs on (chosen by the root hook).
  let backend: 'wasm' | 'cpu' | 'tensorflow';
  let cli: string[];
  before(() => {
    backend = tf.getBackend() as typeof backend;
    cli = ['--import', 'tsx', 'src/cli/main.ts', 'sweep', '--grid', 'tiny', '--backend', backend, '--no-progress'];
  });

  it('trains the grid in two workers, each on the requested backend', async () => {
    const out = join(dir, 'pool.jsonl');
    const summary = await runSweep({ dataset: 'mnist', out, grid: 'tiny', concurrency: 2, backend });
    expect(summary.failed).to.deep.equal([]);
    const records = lines(out);
    expect(records.map((r) => r.id)).to.have.members(GRID_PRESETS.tiny.runs.map(runId));
    for (const r of records) expect(r.backend).to.equal(backend);
  });

  it('reports a worker that dies mid-run and goes on with a fresh one', async () => {
    const out = join(dir, 'dying.jsonl');
    process.env.SGM_FIXTURE_FAILURE = 'exit';
    const summary = await runSweep({
      dataset: 'mnist', out, grid: 'tiny', concurrency: 1, backend, architecture: 'test/sweep/fixtures/failing-architecture.ts',
    }).finally(() => delete process.env.SGM_FIXTURE_FAILURE);
    expect(summary.failed.map((f) => f.id)).to.have.members(GRID_PRESETS.tiny.runs.map(runId));
    for (const f of summary.failed) expect(f.message).to.contain('worker process ended (exit code 3)');
    expect(existsSync(out)).to.equal(false);
  });

  it('ends the sweep with one error when a worker cannot load its data', async () => {
    const out = join(dir, 'no-data.jsonl');
    let error: Error | undefined;
    await runSweep({ dataset: 'cifar', out, grid: 'tiny', concurrency: 2, backend }).catch((e: Error) => { error = e; });
    expect(error?.message).to.equal("dataset must be 'mnist' or 'idx:<dir>', got 'cifar'");
    expect(existsSync(out)).to.equal(false);
  });

  it('stops on Ctrl-C leaving only complete lines, and the same command resumes', async () => {
    const out = join(dir, 'interrupted.jsonl');
    const args = [...cli, '--out', out, '--max-epochs', '3'];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    // Interrupt as soon as the first run is in the file, while the others are still training.
    const poll = setInterval(() => {
      if (existsSync(out) && readFileSync(out, 'utf8').length > 0) {
        clearInterval(poll);
        child.kill('SIGINT');
      }
    }, 50);
    const code = await closed;
    clearInterval(poll);
    expect(code, stdout).to.equal(130);
    expect(stdout).to.contain('interrupted: the file holds only complete runs');
    const text = readFileSync(out, 'utf8');
    expect(text.endsWith('\n')).to.equal(true);
    const partial = lines(out);
    expect(partial.length).to.be.within(1, 2);

    const again = spawnSync(process.execPath, args, { encoding: 'utf8' });
    expect(again.status, again.stderr).to.equal(0);
    expect(again.stdout).to.contain(`${3 - partial.length} runs written to ${out}`);
    expect(lines(out).map((r) => r.id)).to.have.members(planRuns({ grid: 'tiny', maxEpochs: 3 }).runs.map(runId));
  });

  it('splits the grid into disjoint shards on the command line', () => {
    const list = (...extra: string[]) => {
      const result = spawnSync(process.execPath, [...cli, '--out', join(dir, 'x.jsonl'), '--dry-run', ...extra], { encoding: 'utf8' });
      expect(result.status, result.stderr).to.equal(0);
      return result.stdout.trim().split('\n').slice(1);
    };
    const shards = [list('--shard', '1/2'), list('--shard', '2/2')];
    expect(shards[0]).to.not.be.empty;
    expect(shards[1]).to.not.be.empty;
    expect([...shards[0], ...shards[1]]).to.have.members(list());
    const bad = spawnSync(process.execPath, [...cli, '--out', join(dir, 'x.jsonl'), '--shard', '3/2'], { encoding: 'utf8' });
    expect(bad.status).to.not.equal(0);
    expect(bad.stderr).to.contain("shard must be i/n with 1 <= i <= n, e.g. 2/4, got '3/2'");
  });
});
