// An exported generator, loaded from its folder by stock TensorFlow.js (tfjs-converter's
// loadGraphModel, reading the files model.json names the way a browser fetches them), computes what
// Diptych's own forward pass computes, for the ResNet and the U-Net, at sizes other than the
// training size.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCutConfig } from '../../../src/shared/run-config.ts';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { saveCheckpoint } from '../../../src/training/checkpoint/index.ts';
import { cutNetworksForConfig, cutStores, disposeCutNetworks } from '../../../src/training/cut/networks.ts';
import { disposeNetworks } from '../../../src/training/cyclegan/networks.ts';
import {
  exportCheckpoint,
  MODEL_FILE,
  README_FILE,
  WEIGHTS_FILE,
  writeGeneratorExport,
} from '../../../src/training/export/write-export.ts';
import type { Network } from '../../../src/training/models/network.ts';
import { resnetGenerator } from '../../../src/training/models/resnet-generator.ts';
import { unetGenerator } from '../../../src/training/models/unet-generator.ts';
import { disposeParams } from '../../../src/training/nn/params.ts';
import { savedTinyCheckpoint } from '../inference/helpers.ts';

let root: string;

beforeAll(async () => {
  await selectBackend('cpu');
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-export-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Redraws every weight so the export cannot pass on seeded initial values or zero biases. */
function scramble(net: Network, seed: number): void {
  for (const variable of net.params.variables.values())
    tf.tidy(() => variable.assign(tf.randomNormal(variable.shape, 0, 0.15, 'float32', seed++)));
}

/** Loads an export the way a web page does: model.json, then each weights path it lists, relative to it. */
async function loadFromFolder(folder: string) {
  const json = JSON.parse(fs.readFileSync(path.join(folder, MODEL_FILE), 'utf8'));
  return loadGraphModel({
    load: async () =>
      tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const buffers = manifest.flatMap((group) => group.paths.map((p) => fs.readFileSync(path.join(folder, p))));
        const joined = Buffer.concat(buffers);
        return [specs, joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength)];
      }),
  });
}

async function maxDifference(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))));
  const value = (await d.data())[0] as number;
  d.dispose();
  return value;
}

async function expectSameOutputs(net: Network, folder: string, shape: [number, number, number, number]) {
  const model = await loadFromFolder(folder);
  const input = tf.randomUniform(shape, -1, 1, 'float32', 11) as tf.Tensor4D;
  const expected = tf.tidy(() => net.apply(input));
  const actual = model.predict(input) as tf.Tensor;
  expect(actual.shape).toEqual(shape);
  expect(await maxDifference(actual, expected)).toBeLessThan(1e-4);
  // And the output is not a trivial constant: it varies across the image.
  const spread = tf.tidy(() => tf.sub(tf.max(expected), tf.min(expected)));
  expect((await spread.data())[0]).toBeGreaterThan(0.1);
  tf.dispose([input, expected, actual, spread]);
  model.dispose();
}

describe('graph model export', () => {
  it('a ResNet generator: stock loadGraphModel computes the same image (batch 2, 24×40)', async () => {
    const net = resnetGenerator({ name: 'G_A', ngf: 4, blocks: 2, seed: 1 });
    scramble(net, 100);
    const folder = path.join(root, 'resnet');
    const result = await writeGeneratorExport(net.params, folder, {
      direction: 'AtoB',
      step: 7,
      netG: 'resnet_6blocks',
      trainedSize: 32,
    });
    expect(result.sizeMultiple).toBe(4);
    expect(fs.readdirSync(folder).sort()).toEqual([README_FILE, WEIGHTS_FILE, MODEL_FILE].sort());
    await expectSameOutputs(net, folder, [2, 24, 40, 3]);
    const readme = fs.readFileSync(path.join(folder, README_FILE), 'utf8');
    expect(readme).toContain('multiples of 4');
    expect(readme).toContain('[-1, 1]');
    expect(readme).toContain('loadGraphModel');
    disposeParams(net.params);
  });

  it('a U-Net generator (skip connections, 4×4 transposed convs): the same image at 16×32', async () => {
    // downs 4 keeps the test small; the structure per level is the unet_128/unet_256 one.
    const net = unetGenerator({ name: 'G_B', ngf: 4, downs: 4 as 7, seed: 2 });
    scramble(net, 300);
    const folder = path.join(root, 'unet');
    const result = await writeGeneratorExport(net.params, folder, { direction: 'BtoA', step: 1, netG: 'unet_128' });
    expect(result.sizeMultiple).toBe(16);
    await expectSameOutputs(net, folder, [1, 16, 32, 3]);
    disposeParams(net.params);
  });

  it('exports the chosen direction of a saved checkpoint (G_B for BtoA), leaving no tensor behind', async () => {
    const runDir = path.join(root, 'run');
    const saved = await savedTinyCheckpoint(runDir, 42);
    const folder = path.join(root, 'from-checkpoint');
    const before = tf.memory().numTensors;
    const result = await exportCheckpoint(saved.dir, 'BtoA', folder, 'run-1');
    expect(tf.memory().numTensors).toBe(before);
    expect(result.files).toHaveLength(3);
    const json = JSON.parse(fs.readFileSync(path.join(folder, MODEL_FILE), 'utf8'));
    expect(json.userDefinedMetadata.diptych).toMatchObject({ direction: 'BtoA', step: 42, runId: 'run-1' });
    await expectSameOutputs(saved.nets.G_B, folder, [1, 32, 32, 3]);
    // Not G_A: the two directions differ.
    const model = await loadFromFolder(folder);
    const input = tf.randomUniform([1, 32, 32, 3], -1, 1, 'float32', 4) as tf.Tensor4D;
    const other = tf.tidy(() => saved.nets.G_A.apply(input));
    const exported = model.predict(input) as tf.Tensor;
    expect(await maxDifference(exported, other)).toBeGreaterThan(0.01);
    tf.dispose([input, other, exported]);
    model.dispose();
    disposeNetworks(saved.nets);
  });

  it('re-exports into its own folder, but never into a folder holding other files', async () => {
    const net = resnetGenerator({ name: 'G_A', ngf: 2, blocks: 1, seed: 3 });
    const folder = path.join(root, 'again');
    await writeGeneratorExport(net.params, folder, { direction: 'AtoB', step: 1, netG: 'resnet_6blocks' });
    await writeGeneratorExport(net.params, folder, { direction: 'AtoB', step: 2, netG: 'resnet_6blocks' });
    const busy = path.join(root, 'busy');
    fs.mkdirSync(busy);
    fs.writeFileSync(path.join(busy, 'holiday.jpg'), 'not mine');
    await expect(
      writeGeneratorExport(net.params, busy, { direction: 'AtoB', step: 1, netG: 'resnet_6blocks' }),
    ).rejects.toThrow(/already holds other files \(holiday\.jpg\)/);
    expect(fs.readdirSync(busy)).toEqual(['holiday.jpg']);
    disposeParams(net.params);
  });

  it('exports a CUT checkpoint’s one generator (A → B), and says plainly that it has no B → A', async () => {
    const config = buildCutConfig('tiny', { dataA: '/a', dataB: '/b', ngf: 4, ndf: 4 });
    const nets = cutNetworksForConfig(config);
    scramble(nets.G, 500);
    const dir = path.join(root, 'cut-checkpoint');
    await saveCheckpoint(dir, {
      format: 1,
      model: 'cut',
      step: 7,
      epoch: 0,
      config,
      networks: cutStores(nets),
      optimizers: {},
    });
    const folder = path.join(root, 'cut-out');
    const result = await exportCheckpoint(dir, 'AtoB', folder, 'cut-run');
    expect(result.files).toHaveLength(3);
    await expectSameOutputs(nets.G, folder, [1, 24, 40, 3]);
    await expect(exportCheckpoint(dir, 'BtoA', path.join(root, 'cut-b'))).rejects.toThrow(/one way only, A → B/);
    expect(fs.existsSync(path.join(root, 'cut-b'))).toBe(false);
    disposeCutNetworks(nets);
  });

  it('refuses a CoGAN checkpoint with the reason', async () => {
    const dir = path.join(root, 'cogan');
    await saveCheckpoint(dir, {
      format: 1,
      model: 'cogan',
      step: 3,
      epoch: 0,
      config: {},
      networks: {},
      optimizers: {},
    });
    await expect(exportCheckpoint(dir, 'AtoB', path.join(root, 'cogan-out'))).rejects.toThrow(/CoGAN checkpoint/);
  });
});
