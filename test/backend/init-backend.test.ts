// initBackend's choices. Each choice that could import tfjs-node runs in a fresh child process, as
// does the machine without tfjs-node (simulated by a resolve hook that hides the package).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendPreference } from '../../src/backend/index.js';
import { tensorflowInstalled } from './helpers.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

interface Report {
  chosen?: string;
  active?: string;
  error?: string;
  lines: string[];
  tensorflowRegistered: boolean;
  tfjsNodeLoaded: boolean;
  sameEngine?: boolean;
}

async function inChild(preference: string, hideTfjsNode: boolean): Promise<Report> {
  const hooks = hideTfjsNode ? ['--import', fixture('hide-tfjs-node.mjs')] : [];
  const { stdout } = await promisify(execFile)(process.execPath,
    ['--import', 'tsx', ...hooks, fixture('init-child.ts'), preference],
    { encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Report;
}


describe('initBackend', () => {
  let suiteBackend: string;
  const withTensorflow = process.env.SGM_BACKEND === 'tensorflow' || tensorflowInstalled();
  const reports: Record<string, Report> = {};

  before(async function () {
    this.timeout(120_000);
    suiteBackend = tf.getBackend();
    const scenarios: Array<[string, string, boolean]> = [
      ['tensorflow-missing', 'tensorflow', true],
      ['auto-missing', 'auto', true],
      ['wasm', 'wasm', false],
      ['cpu', 'cpu', false],
      ...(withTensorflow ? [['auto', 'auto', false] as [string, string, boolean]] : []),
    ];
    await Promise.all(scenarios.map(async ([key, preference, hide]) => {
      reports[key] = await inChild(preference, hide);
    }));
  });

  after(async () => {
    await tf.setBackend(suiteBackend);
  });

  it("'tensorflow' without tfjs-node fails, saying what to install or run", () => {
    const { chosen, error } = reports['tensorflow-missing']!;
    expect(chosen).to.equal(undefined);
    expect(error).to.include('@tensorflow/tfjs-node is not installed');
    expect(error).to.include('install @tensorflow/tfjs-node (or @tensorflow/tfjs-node-gpu)');
    expect(error).to.include('npm run setup:tfjs-node');
  });

  it("'auto' without tfjs-node picks wasm and says so, in one line, with the reason", () => {
    const report = reports['auto-missing']!;
    expect([report.chosen, report.active]).to.deep.equal(['wasm', 'wasm']);
    expect(report.lines).to.have.length(1);
    expect(report.lines[0]).to.match(/^tfjs backend: wasm .*@tensorflow\/tfjs-node is not installed/);
  });

  for (const name of ['wasm', 'cpu']) {
    it(`'${name}' initializes ${name} and never loads tfjs-node`, () => {
      const report = reports[name]!;
      expect([report.chosen, report.active]).to.deep.equal([name, name]);
      expect(report.tensorflowRegistered, 'tensorflow backend registered').to.equal(false);
      expect(report.tfjsNodeLoaded, 'tfjs-node in the module cache').to.equal(false);
    });
  }

  it("'auto' with tfjs-node picks tensorflow, registered in this library's tfjs-core engine", function () {
    if (!withTensorflow) this.skip();
    const report = reports['auto']!;
    expect(report.error).to.equal(undefined);
    expect([report.chosen, report.active]).to.deep.equal(['tensorflow', 'tensorflow']);
    expect(report.sameEngine).to.equal(true);
    expect(report.lines).to.have.length(1);
    expect(report.lines[0]).to.match(/^tfjs backend: tensorflow \(@tensorflow\/tfjs-node/);
  });

  it('logs exactly one line, or none when quiet', async () => {
    const lines: string[] = [];
    expect(await initBackend('cpu', { log: (line) => lines.push(line) })).to.equal('cpu');
    expect(await initBackend('cpu', { quiet: true, log: (line) => lines.push(line) })).to.equal('cpu');
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(/^tfjs backend: cpu/);
  });

  it('refuses an unknown preference, naming it and the valid ones', async () => {
    let error: Error | undefined;
    try {
      await initBackend('webgpu' as BackendPreference);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).to.match(/unknown backend preference 'webgpu'.*auto, tensorflow, wasm, cpu/);
  });
});
