// Our event files as the real TensorBoard sees them: its Python loader (every summary), its CRC
// checks (torn and corrupt files), and its server with the default Rust data server (HTTP API).
// Needs SGM_PYTHON (a Python with requirements-dev.txt); skipped without it unless
// SGM_REQUIRE_TENSORBOARD=1, as in CI, where a missing TensorBoard fails the suite.
import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitRecords } from '../../src/tensorboard/record.js';
import { createSummaryWriter, decodeSummaries, readEventFile } from '../../src/tensorboard/index.js';
import { createRng } from '../../src/util/random.js';
import { solidPng, temporaryDir } from './fixtures.js';
import { ENABLE_HINT, pythonFloat, tbRead, tensorboardUnavailable, TensorBoardServer } from './python-tensorboard.js';

type PyEvent = { step: number; value: unknown };
type PyRuns = Record<string, Record<string, { plugin: string; events: PyEvent[] }>>;

// What the test writes, kept as plain data so every check compares against the inputs.
const rng = createRng('tensorboard-integration');
const SCALARS: Record<string, Array<[step: number, value: number]>> = {
  epoch_loss: [[0, 2.302585], [1, 1.25], [2, 0.1], [3, 1e-7]],
  'sparsity/zeta': [[2, 0.4375], [4, 0.3333333333]],
  'sparsity/predicted_gap': [[1, NaN], [2, Infinity], [3, -Infinity], [4, -0.015625]],
};
const HISTOGRAMS: Array<[step: number, values: number[], bins: number]> = [
  [2, Array.from({ length: 500 }, () => rng.next() * 2 - 1), 30],
  [4, Array.from({ length: 37 }, () => Math.fround(rng.next() ** 3 * 10)), 7],
  [6, [0.25, 0.25, 0.25], 5],
];
const IMAGES: Array<[step: number, width: number, height: number, fill: string]> = [[2, 4, 3, 'red'], [4, 5, 2, 'green']];
const TEXTS: Array<[step: number, markdown: string]> = [[0, '| option | value |\n|---|---|\n| layer | conv3 |'], [5, 'early stop: ζ < 0.1 ✓']];

describe('tensorboard integration: the real TensorBoard reads our event files', function () {
  this.timeout(120_000);
  const python = process.env.SGM_PYTHON;
  let dir: ReturnType<typeof temporaryDir>;
  let oursPath: string;
  let tfjsLogdir: string | undefined;
  const pngs = new Map<number, Uint8Array>();

  before(async function () {
    const missing = await tensorboardUnavailable(python);
    if (missing) {
      if (process.env.SGM_REQUIRE_TENSORBOARD === '1') throw new Error(`${missing}; SGM_REQUIRE_TENSORBOARD=1 forbids skipping`);
      console.log(`    skipped: ${missing}. To enable: ${ENABLE_HINT}`);
      this.skip();
    }
    dir = temporaryDir();
    const writer = await createSummaryWriter(join(dir.path, 'logs', 'ours'));
    for (const [tag, points] of Object.entries(SCALARS)) for (const [step, v] of points) writer.scalar(tag, v, step);
    for (const [step, values, bins] of HISTOGRAMS) writer.histogram('conv3/kernel', values, step, { bins });
    for (const [step, width, height, fill] of IMAGES) {
      pngs.set(step, solidPng(width, height, fill));
      writer.image('sparsity/ablation_curves', pngs.get(step)!, step, { width, height });
    }
    for (const [step, markdown] of TEXTS) writer.text('sparsity/config', markdown, step);
    await writer.close();
    oursPath = writer.path;

    // A run whose last record, a scalar, was torn mid-payload, as by a crash.
    const torn = await createSummaryWriter(join(dir.path, 'logs', 'torn'));
    for (let step = 0; step < 5; step++) torn.scalar('torn/x', step / 8, step);
    await torn.close();
    const tornBytes = readFileSync(torn.path);
    writeFileSync(torn.path, tornBytes.subarray(0, tornBytes.length - 7));
    if (process.env.SGM_BACKEND === 'tensorflow') {
      tfjsLogdir = await writeWithTfjsNode(join(dir.path, 'logs', 'tfjs-node'));
      console.log('    [the same scalars also written by tfjs-node summaryFileWriter, run tfjs-node]');
    }
  });
  after(() => dir?.remove());

  it('its Python loader reads every scalar, histogram, image and text with its tag and step', async () => {
    const { version, result } = await tbRead<PyRuns>(python!, 'runs', [join(dir.path, 'logs')]);
    console.log(`    [python tensorboard ${version}]`);
    expect(result.torn['torn/x'].events.map((e) => e.step)).to.deep.equal([0, 1, 2, 3]);
    const ours = result.ours;
    expect(Object.keys(ours).sort()).to.deep.equal(
      [...Object.keys(SCALARS), 'conv3/kernel', 'sparsity/ablation_curves', 'sparsity/config'].sort());

    for (const [tag, points] of Object.entries(SCALARS)) {
      expect(ours[tag].plugin).to.equal('scalars');
      expect(ours[tag].events.map((e) => [e.step, pythonFloat(e.value as string)]), tag)
        .to.deep.equal(points.map(([step, v]) => [step, Math.fround(v)]));
    }

    expect(ours['conv3/kernel'].plugin).to.equal('histograms');
    expect(ours['conv3/kernel'].events.map((e) => e.step)).to.deep.equal(HISTOGRAMS.map(([step]) => step));
    ours['conv3/kernel'].events.forEach((event, i) => {
      const [, values, bins] = HISTOGRAMS[i];
      const buckets = (event.value as string[][]).map((row) => row.map(pythonFloat));
      expectHistogramOf(values, bins, buckets);
    });

    const images = ours['sparsity/ablation_curves'];
    expect(images.plugin).to.equal('images');
    expect(images.events.map((e) => e.step)).to.deep.equal(IMAGES.map(([step]) => step));
    images.events.forEach((event, i) => {
      const [step, width, height] = IMAGES[i];
      expect(event.value).to.deep.equal({
        width: String(width), height: String(height), png: [Buffer.from(pngs.get(step)!).toString('base64')],
      });
    });

    if (tfjsLogdir) {
      for (const tag of Object.keys(SCALARS)) {
        const steps = (run: string) => result[run][tag].events.map((e) => [e.step, pythonFloat(e.value as string)]);
        expect(steps('tfjs-node'), `tfjs-node ${tag}`).to.deep.equal(steps('ours'));
      }
    }

    expect(ours['sparsity/config'].plugin).to.equal('text');
    expect(ours['sparsity/config'].events.map((e) => [e.step, e.value]))
      .to.deep.equal(TEXTS.map(([step, markdown]) => [step, [markdown]]));
  });

  it('its CRC-checking loader reads all complete records of a file cut at any byte of its last record, and stops at a corrupt one', async () => {
    const bytes = readFileSync(oursPath);
    const payloads = splitRecords(bytes).payloads;
    const lastRecord = 12 + payloads.at(-1)!.length + 4;
    const files: Record<string, number> = { [oursPath]: payloads.length };
    for (let cut = bytes.length - lastRecord; cut < bytes.length; cut++) {
      const path = join(dir.path, `cut-${cut}.tfevents`);
      writeFileSync(path, bytes.subarray(0, cut));
      files[path] = payloads.length - 1;
    }
    // one flipped payload bit in record 3: TensorBoard must stop before it, so its CRC check is live
    const corrupt = Buffer.from(bytes);
    const thirdRecord = payloads.slice(0, 2).reduce((offset, p) => offset + 12 + p.length + 4, 0);
    corrupt[thirdRecord + 12 + 5] ^= 0x10;
    const corruptPath = join(dir.path, 'corrupt.tfevents');
    writeFileSync(corruptPath, corrupt);
    files[corruptPath] = 2;

    const { result } = await tbRead<Record<string, number>>(python!, 'count', Object.keys(files));
    expect(result).to.deep.equal(files);
  });

  it('its server, with the Rust data server, serves the scalars (also the complete ones of a torn file) and histograms over the HTTP data API', async () => {
    const server = await TensorBoardServer.start(python!, join(dir.path, 'logs'));
    try {
      const expectedTags = Object.keys(SCALARS).sort();
      type Tags = Record<string, Record<string, unknown>>;
      const runsWanted = tfjsLogdir ? ['ours', 'tfjs-node'] : ['ours'];
      await server.poll<Tags>('/data/plugin/scalars/tags', (tags) =>
        runsWanted.every((run) => expectedTags.every((tag) => tag in (tags[run] ?? {}))) && 'torn/x' in (tags.torn ?? {}));

      const torn = await server.poll<Array<[number, number, number]>>(
        '/data/plugin/scalars/scalars?run=torn&tag=torn%2Fx', (s) => s.length >= 4);
      expect(torn.map(([, step, value]) => [step, value])).to.deep.equal([[0, 0], [1, 0.125], [2, 0.25], [3, 0.375]]);

      const wallTimes = new Map(decodeSummaries(readEventFile(oursPath)).map((r) => [`${r.tag}@${r.step}`, r.wallTime]));
      for (const [tag, points] of Object.entries(SCALARS)) {
        const query = (run: string) => `/data/plugin/scalars/scalars?run=${run}&tag=${encodeURIComponent(tag)}`;
        // the data server may still be loading the last records: wait until the series is complete
        const series = await server.poll<Array<[number, number, number | string]>>(query('ours'), (s) => s.length === points.length);
        expect(series.map(([wall, step, value]) => [wall, step, Number(value)]), tag).to.deep.equal(
          points.map(([step, v]) => [wallTimes.get(`${tag}@${step}`), step, Math.fround(v)]));
        if (tfjsLogdir) {
          const theirs = await server.poll<Array<[number, number, number | string]>>(query('tfjs-node'), (s) => s.length === points.length);
          expect(theirs.map(([, step, value]) => [step, Number(value)]), `tfjs-node ${tag}`)
            .to.deep.equal(series.map(([, step, value]) => [step, Number(value)]));
        }
      }

      const histograms = await server.poll<Array<[number, number, number[][]]>>(
        '/data/plugin/histograms/histograms?run=ours&tag=conv3%2Fkernel', (h) => h.length === HISTOGRAMS.length);
      histograms.forEach(([, step, buckets], i) => {
        expect(step).to.equal(HISTOGRAMS[i][0]);
        expectHistogramOf(HISTOGRAMS[i][1], HISTOGRAMS[i][2], buckets);
      });
    } finally {
      await server.stop();
    }
  });
});

/** Buckets as TensorBoard returned them, checked against the raw values, not against our encoder. */
function expectHistogramOf(values: number[], bins: number, buckets: number[][]): void {
  expect(buckets).to.have.length(bins);
  const min = Math.min(...values);
  const max = Math.max(...values);
  expect(buckets[0][0]).to.be.at.most(min);
  expect(buckets[bins - 1][1]).to.be.at.least(max);
  expect(buckets.reduce((sum, [, , count]) => sum + count, 0)).to.equal(values.length);
  buckets.forEach(([left, right, count], k) => {
    const last = k === bins - 1;
    expect(count, `bucket ${k} [${left}, ${right}]`)
      .to.equal(values.filter((v) => v >= left && (v < right || (last && v <= right))).length);
  });
}

/** The same scalars through TensorFlow's own C++ writer (tfjs-node's summaryFileWriter). */
async function writeWithTfjsNode(logdir: string): Promise<string> {
  const moduleName = '@tensorflow/tfjs-node'; // installed only by `npm run setup:tfjs-node`
  const tfnode = (await import(moduleName)) as {
    node: { summaryFileWriter(logdir: string): { scalar(tag: string, value: number, step: number): void; flush(): void } };
  };
  const writer = tfnode.node.summaryFileWriter(logdir);
  for (const [tag, points] of Object.entries(SCALARS)) for (const [step, v] of points) writer.scalar(tag, v, step);
  writer.flush();
  return logdir;
}
