// A checkpoint opened as a Translator computes exactly what the networks that saved it compute,
// in both directions, at any size the network accepts, and refuses what it cannot translate.
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCheckpointSteps, resolveCheckpoint } from '../../../src/node/checkpoint/resolve.ts';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { saveCheckpoint } from '../../../src/training/checkpoint/index.ts';
import { type CycleGanNetworks, disposeNetworks } from '../../../src/training/cyclegan/networks.ts';
import { loadTranslator, type Translator } from '../../../src/training/inference/index.ts';
import { savedTinyCheckpoint, tempDir } from './helpers.ts';

let runDir: string;
let saved: { dir: string; nets: CycleGanNetworks };
let translator: Translator;

beforeAll(async () => {
  await selectBackend('cpu');
  runDir = tempDir();
  saved = await savedTinyCheckpoint(runDir, 42);
  // TensorFlow.js asked for: this file checks bit-exact agreement with the saving networks (ONNX
  // Runtime agrees within 1e-4: onnx-translator.test.ts).
  translator = await loadTranslator(saved.dir, { engine: 'tfjs' });
});

afterAll(() => {
  translator.dispose();
  disposeNetworks(saved.nets);
});

async function maxDifference(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const difference = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))));
  const value = (await difference.data())[0] as number;
  difference.dispose();
  return value;
}

describe('loadTranslator (CycleGAN)', () => {
  it('runs on ONNX Runtime unless asked otherwise, where a session can be made (here: yes)', async () => {
    const byDefault = await loadTranslator(saved.dir);
    expect(byDefault.engine).toBe('onnx');
    byDefault.dispose();
    expect(translator.engine).toBe('tfjs');
  });

  it('knows the step, the config and the size multiple', () => {
    expect(translator.model).toBe('cyclegan');
    expect(translator.step).toBe(42);
    expect((translator.config as { ngf: number }).ngf).toBe(8);
    expect(translator.sizeMultiple).toBe(4);
  });

  it('translates exactly as the saved generators do, in both directions and at a non-square size', async () => {
    const image = tf.randomUniform([1, 24, 40, 3], -1, 1, 'float32', 5) as tf.Tensor4D;
    for (const [direction, net] of [
      ['AtoB', saved.nets.G_A],
      ['BtoA', saved.nets.G_B],
    ] as const) {
      const expected = tf.tidy(() => net.apply(image));
      const actual = await translator.translate(image, direction);
      expect(actual.shape).toEqual([1, 24, 40, 3]);
      expect(await maxDifference(actual, expected)).toBe(0);
      expected.dispose();
      actual.dispose();
    }
    // The two directions are different networks.
    const a = await translator.translate(image, 'AtoB');
    const b = await translator.translate(image, 'BtoA');
    expect(await maxDifference(a, b)).toBeGreaterThan(0.01);
    tf.dispose([a, b, image]);
  });

  it('leaves no tensor behind per translation', async () => {
    const image = tf.zeros([1, 32, 32, 3]) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) (await translator.translate(image, 'AtoB')).dispose();
    expect(tf.memory().numTensors).toBe(before);
    image.dispose();
  });

  it('refuses a side that is not a multiple of the network’s', async () => {
    const image = tf.zeros([1, 30, 32, 3]) as tf.Tensor4D;
    await expect(translator.translate(image, 'AtoB')).rejects.toThrow(/multiples of 4; got 32×30/);
    image.dispose();
  });

  it('frees its weights on dispose', async () => {
    const own = await loadTranslator(saved.dir);
    const before = tf.memory().numTensors;
    own.dispose();
    expect(tf.memory().numTensors).toBeLessThan(before);
    const image = tf.zeros([1, 8, 8, 3]) as tf.Tensor4D;
    await expect(own.translate(image, 'AtoB')).rejects.toThrow(/disposed/);
    image.dispose();
  });

  it('names what is missing from a checkpoint without G_B', async () => {
    const dir = path.join(tempDir(), 'half');
    await saveCheckpoint(dir, {
      format: 1,
      model: 'cyclegan',
      step: 1,
      epoch: 0,
      config: { netG: 'resnet_6blocks', ngf: 8, seed: 3 },
      networks: { G_A: saved.nets.G_A.params },
      optimizers: {},
    });
    await expect(loadTranslator(dir)).rejects.toThrow(/no network G_B/);
  });

  it('says when a checkpoint was trained with another generator width', async () => {
    const dir = path.join(tempDir(), 'wide');
    await saveCheckpoint(dir, {
      format: 1,
      model: 'cyclegan',
      step: 1,
      epoch: 0,
      config: { netG: 'resnet_6blocks', ngf: 16, seed: 3 },
      networks: { G_A: saved.nets.G_A.params, G_B: saved.nets.G_B.params },
      optimizers: {},
    });
    await expect(loadTranslator(dir)).rejects.toThrow(/shape/);
  });

  it('opens a CoGAN checkpoint with CoGAN’s own loader, found through the model registry', async () => {
    const dir = path.join(tempDir(), 'cogan');
    await saveCheckpoint(dir, {
      format: 1,
      model: 'cogan',
      step: 5,
      epoch: 0,
      config: {},
      networks: {},
      optimizers: {},
    });
    // An empty config reaches the CoGAN loader, which says what it misses in its own words.
    await expect(loadTranslator(dir)).rejects.toThrow(/its CoGAN config is not one this version reads/);
  });
});

describe('resolveCheckpoint', () => {
  it('finds latest and a named step, and lists the steps when one is missing', async () => {
    expect(await listCheckpointSteps(runDir)).toEqual([42]);
    expect(await resolveCheckpoint(runDir, 'latest')).toEqual({ step: 42, dir: saved.dir });
    expect(await resolveCheckpoint(runDir, 42)).toEqual({ step: 42, dir: saved.dir });
    await expect(resolveCheckpoint(runDir, 7)).rejects.toThrow(/no checkpoint at step 7 \(it has 42\)/);
    await expect(resolveCheckpoint(tempDir(), 'latest')).rejects.toThrow(/no checkpoint yet/);
  });
});
