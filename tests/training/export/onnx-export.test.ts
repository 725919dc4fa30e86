// An ONNX export, loaded from its file by onnxruntime-node (CPU), computes what Diptych's own forward
// pass computes, for ResNet-6, ResNet-9 and a U-Net, at two input sizes each (the height and width
// axes are dynamic); a saved checkpoint exports through exportCheckpoint with format 'onnx', and the
// metadata reads back from the file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { disposeNetworks } from '../../../src/training/cyclegan/networks.ts';
import { ONNX_MODEL_FILE, ONNX_README_FILE, writeOnnxExport } from '../../../src/training/export/onnx-export.ts';
import { exportCheckpoint } from '../../../src/training/export/write-export.ts';
import type { Network } from '../../../src/training/models/network.ts';
import { resnetGenerator } from '../../../src/training/models/resnet-generator.ts';
import { unetGenerator } from '../../../src/training/models/unet-generator.ts';
import { disposeParams } from '../../../src/training/nn/params.ts';
import { savedTinyCheckpoint } from '../inference/helpers.ts';

let root: string;

beforeAll(async () => {
  await selectBackend('cpu');
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-onnx-export-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Redraws every weight so the export cannot pass on seeded initial values or zero biases. */
function scramble(net: Network, seed: number): void {
  for (const variable of net.params.variables.values())
    tf.tidy(() => variable.assign(tf.randomNormal(variable.shape, 0, 0.15, 'float32', seed++)));
}

function metadataOf(file: string): Record<string, string> {
  const model = onnxProto.onnx.ModelProto.decode(fs.readFileSync(file));
  return Object.fromEntries(model.metadataProps.map((p) => [p.key, p.value]));
}

/** The engine's output (NHWC) and onnxruntime's (NCHW, transposed back) for one random input. */
async function expectSameOutputs(net: Network, file: string, height: number, width: number, seed: number) {
  const session = await ort.InferenceSession.create(file, { executionProviders: ['cpu'] });
  const input = tf.randomUniform([1, height, width, 3], -1, 1, 'float32', seed) as tf.Tensor4D;
  const expected = tf.tidy(() => net.apply(input));
  const nchw = tf.tidy(() => tf.transpose(input, [0, 3, 1, 2]));
  const feeds = { input: new ort.Tensor('float32', Float32Array.from(await nchw.data()), [1, 3, height, width]) };
  const { output } = await session.run(feeds);
  expect(output?.dims).toEqual([1, 3, height, width]);
  const actual = tf.tidy(() =>
    tf.transpose(tf.tensor4d(output?.data as Float32Array, [1, 3, height, width]), [0, 2, 3, 1]),
  );
  const difference = tf.tidy(() => tf.max(tf.abs(tf.sub(actual, expected))));
  expect((await difference.data())[0]).toBeLessThan(1e-4);
  // And the output is not a trivial constant: it varies across the image.
  const spread = tf.tidy(() => tf.sub(tf.max(expected), tf.min(expected)));
  expect((await spread.data())[0]).toBeGreaterThan(0.1);
  tf.dispose([input, expected, nchw, actual, difference, spread]);
  await session.release();
}

describe('ONNX export', () => {
  for (const [blocks, netG] of [
    [6, 'resnet_6blocks'],
    [9, 'resnet_9blocks'],
  ] as const)
    it(`${netG}: onnxruntime computes the engine's image at 16×24 and 32×32`, async () => {
      const net = resnetGenerator({ name: 'G_A', ngf: 4, blocks, seed: blocks });
      scramble(net, 100 * blocks);
      const folder = path.join(root, netG);
      const result = await writeOnnxExport(net.params, folder, {
        direction: 'AtoB',
        step: 7,
        netG,
        trainedSize: 32,
        model: 'cut',
      });
      expect(result.sizeMultiple).toBe(4);
      expect(fs.readdirSync(folder).sort()).toEqual([ONNX_README_FILE, ONNX_MODEL_FILE].sort());
      const file = path.join(folder, ONNX_MODEL_FILE);
      await expectSameOutputs(net, file, 16, 24, 11);
      await expectSameOutputs(net, file, 32, 32, 12);
      const readme = fs.readFileSync(path.join(folder, ONNX_README_FILE), 'utf8');
      expect(readme).toContain('multiples of 4');
      expect(readme).toContain('NCHW');
      expect(readme).toContain('CUT generator');
      disposeParams(net.params);
    });

  it('unet_32 (skip concats, 4×4 transposed convs): the same image at 32×32 and 64×32', async () => {
    const net = unetGenerator({ name: 'G_B', ngf: 4, downs: 5, seed: 2 });
    scramble(net, 300);
    const folder = path.join(root, 'unet');
    const result = await writeOnnxExport(net.params, folder, { direction: 'BtoA', step: 1, netG: 'unet_32' });
    expect(result.sizeMultiple).toBe(32);
    const file = path.join(folder, ONNX_MODEL_FILE);
    await expectSameOutputs(net, file, 32, 32, 21);
    await expectSameOutputs(net, file, 64, 32, 22);
    disposeParams(net.params);
  });

  it('exports a saved checkpoint with format onnx (G_B for BtoA), with its metadata, leaving no tensor behind', async () => {
    const saved = await savedTinyCheckpoint(path.join(root, 'run'), 42);
    const folder = path.join(root, 'from-checkpoint');
    const before = tf.memory().numTensors;
    const result = await exportCheckpoint(saved.dir, 'BtoA', folder, 'run-1', 'onnx');
    expect(tf.memory().numTensors).toBe(before);
    expect(result.files.map((f) => path.basename(f)).sort()).toEqual([ONNX_README_FILE, ONNX_MODEL_FILE].sort());
    const file = path.join(folder, ONNX_MODEL_FILE);
    expect(metadataOf(file)).toMatchObject({
      layout: 'NCHW',
      value_range: '[-1, 1]',
      direction: 'BtoA',
      step: '42',
      run_id: 'run-1',
      size_multiple: String(result.sizeMultiple),
      model: 'cyclegan',
      net_g: saved.config.netG,
    });
    const model = onnxProto.onnx.ModelProto.decode(fs.readFileSync(file));
    expect(Number(model.opsetImport[0]?.version)).toBe(17);
    const ops = new Set((model.graph?.node ?? []).map((n) => n.opType));
    expect(ops.has('InstanceNormalization')).toBe(true);
    await expectSameOutputs(saved.nets.G_B, file, 32, 32, 31);
    // Re-exporting into its own folder works; a TF.js export's folder is someone else's.
    await exportCheckpoint(saved.dir, 'BtoA', folder, 'run-1', 'onnx');
    const tfjs = path.join(root, 'tfjs');
    await exportCheckpoint(saved.dir, 'BtoA', tfjs, 'run-1');
    await expect(exportCheckpoint(saved.dir, 'BtoA', tfjs, 'run-1', 'onnx')).rejects.toThrow(
      /already holds other files/,
    );
    disposeNetworks(saved.nets);
  });
});
