// Saving: what lands on disk, that a save replaces an older checkpoint atomically, and that a
// failing disk leaves the previous checkpoint readable and no debris behind.
import nodeFs from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { restoreInterruptedSwap } from '../../../src/node/checkpoint/atomic-dir.ts';
import { readCheckpointManifest } from '../../../src/node/checkpoint/manifest.ts';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import type { CheckpointRecord } from '../../../src/training/checkpoint/format.ts';
import { loadCheckpointInto } from '../../../src/training/checkpoint/load.ts';
import { saveCheckpoint } from '../../../src/training/checkpoint/save.ts';
import { failingFs, temporaryDir } from '../../node/checkpoint/helpers.ts';
import { type TinyModel, tinyModel } from './helpers.ts';

beforeAll(async () => {
  await selectBackend('cpu');
});

const models: TinyModel[] = [];
afterEach(() => {
  for (const model of models.splice(0)) model.dispose();
});

function trained(name: string, seed: number, steps: number): TinyModel {
  const model = tinyModel(name, seed);
  models.push(model);
  for (let i = 0; i < steps; i++) model.step();
  return model;
}

function record(model: TinyModel, step: number, extra: Record<string, unknown> = {}): CheckpointRecord {
  return {
    format: 1,
    model: 'cyclegan',
    step,
    epoch: 2,
    config: { ngf: 4, note: 'ünïcode' },
    networks: { net: model.store },
    optimizers: { opt: model.optimizer },
    pools: { A: { capacity: 2, images: [{ shape: [1, 1, 2, 1], data: new Float32Array([0.25, -0.5]) }] } },
    extra,
  };
}

const siblings = async (dir: string) => (await nodeFs.readdir(path.dirname(dir))).sort();

describe('saveCheckpoint', () => {
  it('writes manifest.json and weights.bin: every tensor indexed, float32 back to back', async () => {
    const model = trained('net', 1, 3);
    const dir = path.join(await temporaryDir(), '000000003');
    const saved = await saveCheckpoint(dir, record(model, 3, { sample: 12 }));
    expect(saved.path).toBe(dir);
    expect((await nodeFs.readdir(dir)).sort()).toEqual(['manifest.json', 'weights.bin']);

    const manifest = await readCheckpointManifest(dir);
    expect(manifest).toMatchObject({
      format: 1,
      model: 'cyclegan',
      step: 3,
      epoch: 2,
      config: { ngf: 4, note: 'ünïcode' },
      byteOrder: 'little',
      networks: { net: ['net/weight', 'net/bias'] },
      optimizers: {
        opt: {
          className: 'Adam',
          iterations: 3,
          weights: ['net/weight/m', 'net/bias/m', 'net/weight/v', 'net/bias/v'],
        },
      },
      pools: { A: { capacity: 2, images: 1 } },
      extra: { sample: 12 },
    });
    // Adam's running β powers after 3 steps, as float32 products.
    const [b1, b2] = manifest.optimizers.opt?.accBeta ?? [];
    expect(b1).toBe(0.0625);
    expect(b2).toBeCloseTo(0.999 ** 4, 6);
    expect(Object.entries(manifest.tensors).map(([name, e]) => [name, e.shape, e.offset, e.length])).toEqual([
      ['networks/net/net/weight', [2, 3], 0, 24],
      ['networks/net/net/bias', [3], 24, 12],
      ['optimizers/opt/net/weight/m', [2, 3], 36, 24],
      ['optimizers/opt/net/bias/m', [3], 60, 12],
      ['optimizers/opt/net/weight/v', [2, 3], 72, 24],
      ['optimizers/opt/net/bias/v', [3], 96, 12],
      ['pools/A/0', [1, 1, 2, 1], 108, 8],
    ]);
    expect(manifest.weightsBytes).toBe(116);
    const weights = await nodeFs.readFile(path.join(dir, 'weights.bin'));
    expect(weights.byteLength).toBe(116);
    const floats = new Float32Array(weights.buffer.slice(weights.byteOffset, weights.byteOffset + 116));
    expect(Array.from(floats.subarray(24 / 4, 36 / 4))).toEqual(
      Array.from(model.store.variables.get('net/bias')?.dataSync() ?? []),
    );
    expect(Array.from(floats.subarray(108 / 4))).toEqual([0.25, -0.5]);
    const manifestBytes = (await nodeFs.stat(path.join(dir, 'manifest.json'))).size;
    expect(saved.bytes).toBe(116 + manifestBytes);
  });

  it('replaces an existing checkpoint folder whole, leaving nothing beside it', async () => {
    const model = trained('net', 2, 1);
    const dir = path.join(await temporaryDir(), 'last');
    await saveCheckpoint(dir, record(model, 1));
    model.step();
    await saveCheckpoint(dir, record(model, 2));
    expect((await readCheckpointManifest(dir)).step).toBe(2);
    expect(await siblings(dir)).toEqual(['last']);
  });

  it('leaks no tensor', async () => {
    const model = trained('net', 3, 2);
    const dir = path.join(await temporaryDir(), 'c');
    const before = tf.memory().numTensors;
    await saveCheckpoint(dir, record(model, 2));
    await loadCheckpointInto(dir, { networks: { net: model.store }, optimizers: { opt: model.optimizer } });
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each([
    ['a full disk while writing weights.bin', 'ENOSPC', { call: 'write' as const }, /the disk is full \(ENOSPC\)/],
    [
      'a full disk while writing the manifest',
      'ENOSPC',
      { call: 'write' as const, when: (file: unknown) => String(file).endsWith('manifest.json') },
      /the disk is full \(ENOSPC\)/,
    ],
    [
      'a folder it may not write to',
      'EACCES',
      { call: 'mkdir' as const, when: (dir: unknown) => String(dir).includes('.new-') },
      /permission denied \(EACCES\)/,
    ],
    [
      'a failing rename onto the checkpoint',
      'EIO',
      { call: 'rename' as const, when: (from: unknown) => String(from).includes('.new-') },
      /EIO: simulated failure/,
    ],
  ])('on %s throws a clear error and keeps the previous checkpoint', async (_, code, failOn, message) => {
    const model = trained('net', 4, 2);
    const dir = path.join(await temporaryDir(), 'latest-folder');
    await saveCheckpoint(dir, record(model, 2));
    const kept = model.values();
    model.step();

    const attempt = saveCheckpoint(dir, record(model, 3), { fs: failingFs(code, failOn) });
    await expect(attempt).rejects.toThrow(message);
    await expect(attempt).rejects.toThrow(`Could not save the checkpoint ${dir}`);
    await expect(attempt).rejects.toThrow(/earlier checkpoint there is untouched/);
    expect(await siblings(dir)).toEqual(['latest-folder']);

    models.splice(models.indexOf(model), 1);
    model.dispose();
    const restored = trained('net', 99, 0);
    const loaded = await loadCheckpointInto(dir, {
      networks: { net: restored.store },
      optimizers: { opt: restored.optimizer },
    });
    expect(loaded.step).toBe(2);
    expect(restored.values()).toEqual(kept);
  });

  it('a crash between moving the old folder aside and renaming the new one in loses nothing', async () => {
    const model = trained('net', 5, 1);
    const parent = await temporaryDir();
    const dir = path.join(parent, 'last');
    await saveCheckpoint(dir, record(model, 1));
    // The state such a crash leaves: the old checkpoint aside, a complete or partial new one hidden.
    await nodeFs.rename(dir, path.join(parent, '.last.old-0123456789ab'));
    await nodeFs.mkdir(path.join(parent, '.last.new-ba9876543210'));
    await nodeFs.writeFile(path.join(parent, '.last.new-ba9876543210', 'weights.bin'), 'half');

    expect((await readCheckpointManifest(dir)).step).toBe(1);
    expect(await restoreInterruptedSwap(dir)).toBe(false);
    // The next save clears the debris.
    await saveCheckpoint(dir, record(model, 2));
    expect(await siblings(dir)).toEqual(['last']);
    expect((await readCheckpointManifest(dir)).step).toBe(2);
  });

  it('refuses a record of another format', async () => {
    const model = trained('net', 6, 0);
    const bad = { ...record(model, 0), format: 2 } as unknown as CheckpointRecord;
    await expect(saveCheckpoint(path.join(await temporaryDir(), 'x'), bad)).rejects.toThrow(/format 1/);
  });
});
