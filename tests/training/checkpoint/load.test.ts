// Loading: values come back exactly, and a checkpoint that does not fit says which tensor is
// wrong and changes nothing.
import nodeFs from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readCheckpointManifest } from '../../../src/node/checkpoint/manifest.ts';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import type { CheckpointRecord } from '../../../src/training/checkpoint/format.ts';
import { loadCheckpointInto } from '../../../src/training/checkpoint/load.ts';
import { saveCheckpoint } from '../../../src/training/checkpoint/save.ts';
import { createCycleGanNetworks, disposeNetworks } from '../../../src/training/cyclegan/networks.ts';
import { temporaryDir } from '../../node/checkpoint/helpers.ts';
import { type TinyModel, tinyModel } from './helpers.ts';

beforeAll(async () => {
  await selectBackend('cpu');
});

const models: TinyModel[] = [];
afterEach(() => {
  for (const model of models.splice(0)) model.dispose();
});

function model(name: string, seed: number, width = 3): TinyModel {
  const created = tinyModel(name, seed, width);
  models.push(created);
  return created;
}

function drop(m: TinyModel): void {
  models.splice(models.indexOf(m), 1);
  m.dispose();
}

function record(m: TinyModel): CheckpointRecord {
  return {
    format: 1,
    model: 'cogan',
    step: 7,
    epoch: 1,
    config: { lr: 2e-4 },
    networks: { net: m.store },
    optimizers: { opt: m.optimizer },
    pools: {
      B: { capacity: 3, images: [0, 1].map((i) => ({ shape: [1, 2, 1, 1], data: new Float32Array([i, -i]) })) },
    },
    extra: { losses: { D_A: 0.25 } },
  };
}

async function savedTiny(steps = 2): Promise<{ dir: string; values: Record<string, number[]> }> {
  const m = model('net', 1);
  for (let i = 0; i < steps; i++) m.step();
  const dir = path.join(await temporaryDir(), 'ckpt');
  await saveCheckpoint(dir, record(m));
  const values = m.values();
  drop(m);
  return { dir, values };
}

describe('loadCheckpointInto', () => {
  it('restores the values, the optimizer and returns step, epoch, config, extra and pools', async () => {
    const { dir, values } = await savedTiny();
    const target = model('net', 50);
    expect(target.values()).not.toEqual(values);
    const loaded = await loadCheckpointInto(dir, {
      networks: { net: target.store },
      optimizers: { opt: target.optimizer },
    });
    expect(target.values()).toEqual(values);
    expect(target.optimizer.iterations).toBe(2);
    expect(loaded).toEqual({
      step: 7,
      epoch: 1,
      config: { lr: 2e-4 },
      model: 'cogan',
      extra: { losses: { D_A: 0.25 } },
      pools: {
        B: {
          capacity: 3,
          images: [
            { shape: [1, 2, 1, 1], data: new Float32Array([0, -0]) },
            { shape: [1, 2, 1, 1], data: new Float32Array([1, -1]) },
          ],
        },
      },
    });
  });

  it('loads part of a checkpoint: networks only, for inference', async () => {
    const { dir, values } = await savedTiny();
    const target = model('net', 51);
    await loadCheckpointInto(dir, { networks: { net: target.store }, optimizers: {} });
    expect(target.values()).toEqual(values);
    expect(target.optimizer.iterations).toBe(0);
  });

  it('names the tensor whose shape differs and leaves the target unchanged', async () => {
    const { dir } = await savedTiny();
    const target = model('net', 52, 5);
    const before = target.values();
    await expect(
      loadCheckpointInto(dir, { networks: { net: target.store }, optimizers: { opt: target.optimizer } }),
    ).rejects.toThrow(/tensor networks\/net\/net\/bias has shape \[3\] in the checkpoint but \[5\] in this network/);
    expect(target.values()).toEqual(before);
  });

  it('refuses nets of another ngf or block count (CycleGAN ngf 4 into ngf 8, 6 blocks into 9)', async () => {
    const arch = {
      generator: 'resnet_6blocks',
      discriminator: 'n_layers',
      ngf: 4,
      ndf: 4,
      nLayersD: 2,
      seed: 1,
    } as const;
    const small = createCycleGanNetworks(arch);
    const dir = path.join(await temporaryDir(), 'ckpt');
    const networks = (nets: typeof small) => ({
      G_A: nets.G_A.params,
      G_B: nets.G_B.params,
      D_A: nets.D_A.params,
      D_B: nets.D_B.params,
    });
    await saveCheckpoint(dir, {
      format: 1,
      model: 'cyclegan',
      step: 0,
      epoch: 0,
      config: arch,
      networks: networks(small),
      optimizers: {},
    });
    disposeNetworks(small);

    const wide = createCycleGanNetworks({ ...arch, ngf: 8 });
    await expect(loadCheckpointInto(dir, { networks: networks(wide), optimizers: {} })).rejects.toThrow(
      /tensor networks\/G_A\/G_A\/stem\/kernel has shape \[7, 7, 3, 4\] in the checkpoint but \[7, 7, 3, 8\]/,
    );
    disposeNetworks(wide);

    const deep = createCycleGanNetworks({ ...arch, generator: 'resnet_9blocks' });
    await expect(loadCheckpointInto(dir, { networks: networks(deep), optimizers: {} })).rejects.toThrow(
      /no tensor networks\/G_A\/G_A\/block6\/conv0\/kernel: it was built with another architecture/,
    );
    disposeNetworks(deep);
  });

  it('refuses a checkpoint with parameters the target lacks, or without a network or optimizer asked for', async () => {
    const { dir } = await savedTiny();
    const other = tinyModel('other', 53);
    models.push(other);
    await expect(loadCheckpointInto(dir, { networks: { other: other.store }, optimizers: {} })).rejects.toThrow(
      /has no network other \(it has net\)/,
    );
    await expect(loadCheckpointInto(dir, { networks: { net: other.store }, optimizers: {} })).rejects.toThrow(
      /network net of the checkpoint has parameters this net lacks \(net\/weight, net\/bias\)/,
    );
    const adam = tf.train.adam(1);
    const sgd = tf.train.sgd(1);
    await expect(loadCheckpointInto(dir, { networks: {}, optimizers: { G: adam } })).rejects.toThrow(
      /no state for optimizer G/,
    );
    await expect(loadCheckpointInto(dir, { networks: {}, optimizers: { opt: sgd } })).rejects.toThrow(
      /optimizer opt is Adam in the checkpoint but SGD here/,
    );
    adam.dispose();
    sgd.dispose();
  });

  it('refuses a truncated or padded weights.bin', async () => {
    const { dir } = await savedTiny();
    const target = model('net', 54);
    const file = path.join(dir, 'weights.bin');
    const full = await nodeFs.readFile(file);
    await nodeFs.writeFile(file, full.subarray(0, full.byteLength - 4));
    const into = { networks: { net: target.store }, optimizers: { opt: target.optimizer } };
    await expect(loadCheckpointInto(dir, into)).rejects.toThrow(
      `weights.bin has ${full.byteLength - 4} bytes, its manifest says ${full.byteLength}`,
    );
    await nodeFs.writeFile(file, Buffer.concat([full, Buffer.alloc(4)]));
    await expect(loadCheckpointInto(dir, into)).rejects.toThrow(/weights.bin has \d+ bytes, its manifest says/);
    await nodeFs.rm(file);
    await expect(loadCheckpointInto(dir, into)).rejects.toThrow(/weights.bin is missing/);
  });
});

describe('readCheckpointManifest', () => {
  it('reads step, epoch and config without touching a tensor', async () => {
    const { dir } = await savedTiny();
    const before = tf.memory().numTensors;
    const manifest = await readCheckpointManifest(dir);
    expect(tf.memory().numTensors).toBe(before);
    expect(manifest).toMatchObject({ format: 1, model: 'cogan', step: 7, epoch: 1, config: { lr: 2e-4 } });
  });

  it('refuses a folder that is not a checkpoint, a manifest of another format, or broken JSON', async () => {
    const { dir } = await savedTiny();
    const manifestFile = path.join(dir, 'manifest.json');
    const manifest = JSON.parse(await nodeFs.readFile(manifestFile, 'utf8'));
    await nodeFs.writeFile(manifestFile, JSON.stringify({ ...manifest, format: 2 }));
    await expect(readCheckpointManifest(dir)).rejects.toThrow(/format 2, this version of Diptych reads format 1/);
    await nodeFs.writeFile(manifestFile, JSON.stringify({ ...manifest, tensors: { x: { dtype: 'int8' } } }));
    await expect(readCheckpointManifest(dir)).rejects.toThrow(/tensor x has a malformed index entry/);
    await nodeFs.writeFile(manifestFile, '{"format": 1,');
    await expect(readCheckpointManifest(dir)).rejects.toThrow(/manifest.json is not valid JSON/);
    await expect(readCheckpointManifest(path.dirname(dir))).rejects.toThrow(
      /is not a checkpoint: it has no manifest.json/,
    );
  });
});
