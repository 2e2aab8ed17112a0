import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect } from 'chai';
import { Command } from 'commander';
import { cumulativeAblation } from '../../src/ablation/index.js';
import { estimateGap, register } from '../../src/cli/estimate.js';
import { loadDataset } from '../../src/data/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sgm-estimate-'));

/** Saves a model in tfjs' file format (model.json + one weights file), written here from its parts. */
async function saveModel(model: tfl.LayersModel, into: string): Promise<string> {
  mkdirSync(into, { recursive: true });
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const modelJSON = {
      modelTopology: artifacts.modelTopology,
      format: 'layers-model',
      weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: artifacts.weightSpecs }],
    };
    writeFileSync(join(into, 'model.json'), JSON.stringify(modelJSON));
    writeFileSync(join(into, 'group1-shard1of1.bin'), new Uint8Array(artifacts.weightData as ArrayBuffer));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return join(into, 'model.json');
}

function smallMnistModel(): tfl.LayersModel {
  const model = tfl.sequential({ name: 'small' });
  model.add(tfl.layers.conv2d({ name: 'conv', inputShape: [28, 28, 1], filters: 6, kernelSize: 3, strides: 2, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 4 }) }));
  model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tfl.layers.flatten());
  model.add(tfl.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: 5 }) }));
  return model;
}

describe('sparsity-gap estimate', () => {
  let model: tfl.LayersModel;
  let modelPath: string;
  const gapModelPath = join(dir, 'gap.json');
  const options = { dataset: 'mnist', trainSize: 300, classes: 3, samplesPerClass: 6, seed: 2 };

  before(async () => {
    model = smallMnistModel();
    modelPath = await saveModel(model, join(dir, 'small'));
    writeFileSync(gapModelPath, JSON.stringify({ a: 0.5, b: -2, c: 0.25 }));
  });
  after(() => model.dispose());

  it('gives the ζ, κ and predicted gap of the saved model on the training split, without leaking tensors', async () => {
    const before = tf.memory().numTensors;
    const result = await estimateGap({ model: modelPath, gapModel: gapModelPath, ...options });
    expect(tf.memory().numTensors).to.equal(before);

    const dataset = loadDataset('mnist', { trainSize: 300 });
    const labels = tf.tensor1d(dataset.train.labels, 'int32');
    const direct = await cumulativeAblation(model, { x: dataset.train.x, y: labels }, { classes: 3, samplesPerClass: 6, seed: 2 });
    tf.dispose([labels, dataset.train.x, dataset.test.x]);

    expect(result.ablation.layer).to.equal('conv');
    expect(result.ablation.perClass).to.deep.equal(direct.perClass);
    expect(result.predictedGap).to.be.closeTo(0.5 * direct.zeta - 2 * direct.kappa + 0.25, 1e-12);
    expect(result.mismatch).to.equal('');
  });

  it('names a missing model file, a missing weight file and a missing gap model', async () => {
    const fail = (o: Partial<Parameters<typeof estimateGap>[0]>) =>
      estimateGap({ model: modelPath, ...options, ...o }).then(() => null, (e: Error) => e.message);
    expect(await fail({ model: join(dir, 'none', 'model.json') })).to.match(/model .*none\/model\.json: ENOENT/);
    const noWeights = join(dir, 'no-weights');
    await saveModel(model, noWeights);
    writeFileSync(join(noWeights, 'model.json'), JSON.stringify({
      ...JSON.parse(readFileSync(modelPath, 'utf8')),
      weightsManifest: [{ paths: ['missing.bin'], weights: [] }],
    }));
    expect(await fail({ model: join(noWeights, 'model.json') })).to.match(/weight file .*missing\.bin: ENOENT/);
    expect(await fail({ gapModel: join(dir, 'nope.json') })).to.match(/gap model .*nope\.json: cannot be read \(ENOENT\)/);
    expect(await fail({ layer: 'dense9' })).to.match(/'dense9' is not a layer .*'conv'/);
  });

  it('ends with a one-line error naming the problem', async () => {
    const program = new Command('sparsity-gap').exitOverride().configureOutput({ writeErr: () => {} });
    register(program);
    const error = await program.parseAsync(
      ['estimate', '--model', join(dir, 'absent', 'model.json'), '--dataset', 'mnist', '--backend', tf.getBackend()], { from: 'user' },
    ).then(() => null, (e: Error) => e);
    expect(error?.message).to.match(/^error: model .*absent\/model\.json: ENOENT$/);
  });

  it('prints one JSON object with --json', async () => {
    const program = new Command('sparsity-gap').exitOverride();
    register(program);
    const printed: string[] = [];
    const log = console.log;
    console.log = (line: string) => void printed.push(line);
    try {
      await program.parseAsync([
        'estimate', '--model', modelPath, '--dataset', 'mnist', '--train-size', '300', '--classes', '3',
        '--samples-per-class', '6', '--seed', '2', '--gap-model', gapModelPath, '--backend', tf.getBackend(), '--json',
      ], { from: 'user' });
    } finally {
      console.log = log;
    }
    expect(printed).to.have.length(1);
    const out = JSON.parse(printed[0]);
    const direct = await estimateGap({ model: modelPath, gapModel: gapModelPath, ...options });
    expect(out).to.include({ layer: 'conv', units: 6, numClasses: 10, zeta: direct.ablation.zeta, kappa: direct.ablation.kappa });
    expect(out.predictedGap).to.equal(direct.predictedGap);
    expect(out.perClass).to.have.length(3);
  });
});
