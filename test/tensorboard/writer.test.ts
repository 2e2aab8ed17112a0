import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { eventFileName } from '../../src/tensorboard/event-file.js';
import { splitRecords } from '../../src/tensorboard/record.js';
import { DataType } from '../../src/tensorboard/schema.js';
import {
  createSummaryWriter, decodeSummaries, findEventFiles, readEventFile, type SummaryWriter,
} from '../../src/tensorboard/index.js';
import { openSummaryWriter } from '../../src/tensorboard/writer.js';
import { eventually, ManualEnvironment, solidPng, temporaryDir } from './fixtures.js';

const run = promisify(execFile);

describe('tensorboard/writer: summary writer and event file', () => {
  let dir: ReturnType<typeof temporaryDir>;
  const open: SummaryWriter[] = [];
  beforeEach(() => { dir = temporaryDir(); });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((w) => w.close().catch(() => undefined)));
    dir.remove();
  });
  async function writer(env = new ManualEnvironment(), options = {}, logdir = dir.path) {
    const w = await openSummaryWriter(logdir, options, env);
    open.push(w);
    return w;
  }

  it('names the file events.out.tfevents.<seconds>.<host>.<pid>.<n><suffix> and starts it with brain.Event:2', async () => {
    const env = new ManualEnvironment(1_700_000_000_987);
    const w = await writer(env, { filenameSuffix: '.v2' });
    const name = basename(w.path);
    expect(name).to.match(new RegExp(`^events\\.out\\.tfevents\\.1700000000\\.${hostname()}\\.${process.pid}\\.\\d+\\.v2$`));
    // on disk before any flush: the header is written at creation
    const [header, ...rest] = readEventFile(w.path);
    expect(rest).to.have.length(0);
    expect(header).to.include({ fileVersion: 'brain.Event:2', wallTime: 1_700_000_000.987, step: 0 });
  });

  it('writes scalars as DT_FLOAT rank-0 tensors, with plugin metadata on the first value of each tag only', async () => {
    const env = new ManualEnvironment();
    const w = await writer(env);
    w.scalar('loss', 0.1, 1);
    env.clockMs += 1500;
    w.scalar('loss', 0.05, 2);
    w.scalar('acc', 0.9, 2);
    await w.flush();
    const events = readEventFile(w.path).slice(1);
    expect(events.map((e) => [e.step, e.wallTime])).to.deep.equal([[1, 1_700_000_000.123], [2, 1_700_000_001.623], [2, 1_700_000_001.623]]);
    const values = events.map((e) => e.summary!.value[0]);
    expect(values.map((v) => v.tag)).to.deep.equal(['loss', 'loss', 'acc']);
    for (const v of values) {
      expect(v.tensor!.dtype).to.equal(DataType.DT_FLOAT);
      expect(v.tensor!.tensorShape?.dim ?? []).to.have.length(0);
    }
    expect(values.map((v) => v.tensor!.floatVal)).to.deep.equal([[Math.fround(0.1)], [Math.fround(0.05)], [Math.fround(0.9)]]);
    expect(values.map((v) => v.metadata?.pluginData.pluginName)).to.deep.equal(['scalars', undefined, 'scalars']);
  });

  it('reads back every kind of summary as written', async () => {
    const w = await writer();
    const png = solidPng(3, 2, 'red');
    w.scalar('zeta', 0.4375, 0);
    w.histogram('weights', [0, 1, 2, 3, 4], 1, { bins: 4 });
    w.histogram('weights', Float32Array.from([5, 5]), 2, { bins: 2 });
    w.image('curves', png, 3, { width: 3, height: 2 });
    w.text('config', '# Config\n| κ | ζ |\n|---|---|', 4);
    await w.flush();
    expect(decodeSummaries(readEventFile(w.path)).map(({ wallTime, ...rest }) => rest)).to.deep.equal([
      { tag: 'zeta', step: 0, kind: 'scalars', value: 0.4375 },
      { tag: 'weights', step: 1, kind: 'histograms', buckets: [[0, 1, 1], [1, 2, 1], [2, 3, 1], [3, 4, 2]] },
      { tag: 'weights', step: 2, kind: 'histograms', buckets: [[4.5, 5, 0], [5, 5.5, 2]] },
      { tag: 'curves', step: 3, kind: 'images', width: 3, height: 2, png: Buffer.from(png) },
      { tag: 'config', step: 4, kind: 'text', text: '# Config\n| κ | ζ |\n|---|---|' },
    ]);
  });

  it('writes non-finite scalars as they are', async () => {
    const w = await writer();
    [NaN, Infinity, -Infinity].forEach((v, step) => w.scalar('gap', v, step));
    await w.flush();
    expect(decodeSummaries(readEventFile(w.path)).map((r) => (r.kind === 'scalars' ? r.value : null)))
      .to.deep.equal([NaN, Infinity, -Infinity]);
  });

  const png = solidPng(3, 2, 'blue');
  const badCalls: Array<[string, (w: SummaryWriter) => void, string]> = [
    ['empty tag', (w) => w.scalar('', 1, 0), "tag must be a non-empty string, got ''"],
    ['non-string tag', (w) => w.text(7 as unknown as string, 'x', 0), 'tag must be a non-empty string, got 7'],
    ['negative step', (w) => w.scalar('a', 1, -1), 'step must be a non-negative integer, got -1'],
    ['fractional step', (w) => w.scalar('a', 1, 1.5), 'step must be a non-negative integer, got 1.5'],
    ['string step', (w) => w.scalar('a', 1, '3' as unknown as number), "step must be a non-negative integer, got '3'"],
    ['string scalar', (w) => w.scalar('a', '0.5' as unknown as number, 0), "value must be a number, got '0.5'"],
    ['empty histogram', (w) => w.histogram('h', [], 0), 'values must hold at least one number'],
    ['NaN in histogram', (w) => w.histogram('h', [1, NaN], 0), 'values[1] must be a finite number, got NaN'],
    ['histogram of a string', (w) => w.histogram('h', 'abc' as unknown as number[], 0), 'values must be a number[]'],
    ['zero bins', (w) => w.histogram('h', [1], 0, { bins: 0 }), 'options.bins must be a positive integer, got 0'],
    ['JPEG for PNG', (w) => w.image('i', Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, ...new Array(30).fill(0)]), 0, { width: 3, height: 2 }),
      'png must be PNG-encoded bytes'],
    ['PNG of another size', (w) => w.image('i', png, 0, { width: 2, height: 3 }), 'png is 3×2 but { width: 2, height: 3 } was given'],
    ['missing image size', (w) => w.image('i', png, 0, undefined as unknown as { width: number; height: number }),
      'options.width must be a positive integer, got undefined'],
    ['non-string text', (w) => w.text('t', null as unknown as string, 0), 'markdown must be a string, got null'],
  ];
  for (const [name, call, message] of badCalls) {
    it(`rejects ${name} synchronously, naming the argument, and writes nothing`, async () => {
      const w = await writer();
      expect(() => call(w)).to.throw(message);
      await w.flush();
      expect(readEventFile(w.path)).to.have.length(1);
    });
  }

  it('rejects a tag reused for another kind of summary', async () => {
    const w = await writer();
    w.scalar('zeta', 1, 0);
    expect(() => w.histogram('zeta', [1], 1)).to.throw("tag 'zeta' already holds scalars; use another tag for histograms");
  });

  it('rejects bad options and an unwritable logdir at creation, naming them', async () => {
    await expectRejection(createSummaryWriter(dir.path, { flushMilis: 100 } as object),
      "unknown option 'flushMilis'; the options are flushMillis, maxQueue, filenameSuffix");
    await expectRejection(createSummaryWriter(dir.path, { flushMillis: 0 }), 'options.flushMillis must be a positive number');
    await expectRejection(createSummaryWriter(dir.path, { maxQueue: 2.5 }), 'options.maxQueue must be a positive integer, got 2.5');
    await expectRejection(createSummaryWriter(dir.path, { filenameSuffix: '/x' }), 'options.filenameSuffix must be a string without path separators');
    const blocker = join(dir.path, 'a-file');
    writeFileSync(blocker, '');
    const logdir = join(blocker, 'logs');
    await expectRejection(createSummaryWriter(logdir), `cannot write TensorBoard event file in logdir '${logdir}'`);
  });

  it('flush() resolves once the queued events are in the file, in the order they were written', async () => {
    const env = new ManualEnvironment();
    const w = await writer(env, { maxQueue: 1000 });
    for (let step = 0; step < 50; step++) {
      w.scalar('a', step, step);
      if (step % 7 === 0) void w.flush();
    }
    w.text('last', 'end', 50);
    await w.flush();
    const steps = readEventFile(w.path).slice(1).map((e) => e.step);
    expect(steps).to.deep.equal(Array.from({ length: 51 }, (_, i) => i));
  });

  it('flushes on one timer after the first queued event, and flush() cancels it', async () => {
    const env = new ManualEnvironment();
    const w = await writer(env, { flushMillis: 750 });
    w.scalar('a', 1, 1);
    w.scalar('a', 2, 2);
    expect(env.liveTimers.map((t) => t.ms)).to.deep.equal([750]);
    expect(readEventFile(w.path)).to.have.length(1);
    await env.liveTimers[0].fire();
    expect(readEventFile(w.path).map((e) => e.step)).to.deep.equal([0, 1, 2]);

    w.scalar('a', 3, 3);
    expect(env.liveTimers).to.have.length(1);
    await w.flush();
    expect(env.liveTimers).to.have.length(0);
    expect(readEventFile(w.path)).to.have.length(4);
  });

  it('writes without waiting for the timer once maxQueue events are queued', async () => {
    const env = new ManualEnvironment();
    const w = await writer(env, { maxQueue: 3 });
    w.scalar('a', 1, 1);
    w.scalar('a', 2, 2);
    w.scalar('a', 3, 3);
    await eventually(() => readEventFile(w.path).length === 4);
  });

  it('close() flushes, is safe to call twice, and later writes throw', async () => {
    const w = await writer();
    w.scalar('a', 1, 1);
    await Promise.all([w.close(), w.close()]);
    await w.close();
    await w.flush();
    expect(readEventFile(w.path)).to.have.length(2);
    expect(() => w.scalar('a', 2, 2)).to.throw('is closed');
  });

  it('keeps a failed background write from the training loop and reports it on the next call', async () => {
    const env = new ManualEnvironment();
    const w = await writer(env);
    // Pull the file out from under the writer, as a vanished disk would.
    await (w as unknown as { file: { handle: { close(): Promise<void> } } }).file.handle.close();
    w.scalar('a', 1, 1);
    await env.liveTimers[0].fire(); // must not reject (it runs on a timer, nobody would catch it)
    await expectRejection(w.flush(), 'file closed');
    expect(() => w.scalar('a', 2, 2)).to.throw(`cannot write to ${w.path}: an earlier write failed`);
  });

  it('leaves every complete record readable when the file is cut at any byte of its last record', async () => {
    const w = await writer();
    w.scalar('a', 0.5, 1);
    w.histogram('h', [1, 2, 3], 2);
    w.text('t', 'last record', 3);
    await w.close();
    const bytes = readFileSync(w.path);
    const lastRecord = 12 + splitRecords(bytes).payloads.at(-1)!.length + 4;
    const cutPath = join(dir.path, 'cut.tfevents');
    for (let cut = bytes.length - lastRecord; cut < bytes.length; cut++) {
      writeFileSync(cutPath, bytes.subarray(0, cut));
      expect(readEventFile(cutPath).map((e) => e.step), `cut at ${cut}`).to.deep.equal([0, 1, 2]);
    }
  });

  it('gives two writers on one logdir, opened at the same instant, separate files', async () => {
    const env = new ManualEnvironment();
    const [a, b] = await Promise.all([writer(env), writer(env)]);
    expect(a.path).to.not.equal(b.path);
    a.scalar('who', 1, 1);
    b.scalar('who', 2, 1);
    await Promise.all([a.flush(), b.flush()]);
    expect(findEventFiles(dir.path).sort()).to.deep.equal([a.path, b.path].sort());
    const value = (path: string) => decodeSummaries(readEventFile(path)).map((r) => (r.kind === 'scalars' ? r.value : null));
    expect(value(a.path)).to.deep.equal([1]);
    expect(value(b.path)).to.deep.equal([2]);
  });

  it('never opens a file that already exists, whoever made it', async () => {
    const env = new ManualEnvironment(1_700_000_000_000, 4_000_000);
    const first = await writer(env);
    const counter = Number(basename(first.path).split('.').at(-1));
    const id = env.identity(env.clockMs, '');
    const taken = [1, 2, 3].map((k) => join(dir.path, eventFileName(id, counter + k)));
    for (const path of taken) writeFileSync(path, 'not ours');
    const second = await writer(env);
    expect([first.path, ...taken]).to.not.include(second.path);
    for (const path of taken) expect(readFileSync(path, 'utf8')).to.equal('not ours');
  });

  it('gives two processes writing to one logdir separate, complete files', async () => {
    const child = join(import.meta.dirname, 'write-events-child.ts');
    const write = (id: string) => run(process.execPath, ['--import', 'tsx', child, dir.path, id, '40']);
    await Promise.all([write('1'), write('2')]);
    const files = readdirSync(dir.path);
    expect(files).to.have.length(2);
    const valuesPerFile = files.map((f) => decodeSummaries(readEventFile(join(dir.path, f)))
      .map((r) => (r.kind === 'scalars' ? `${r.tag}:${r.step}:${r.value}` : '')));
    const expected = (id: string) => Array.from({ length: 40 }, (_, step) => `process:${step}:${id}`);
    expect(valuesPerFile.sort()).to.deep.equal([expected('1'), expected('2')]);
  });
});

async function expectRejection(promise: Promise<unknown>, message: string): Promise<void> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error, `expected a rejection with "${message}"`).to.be.instanceOf(Error);
  expect((error as Error).message).to.include(message);
}
