// The pieces a trainer skeleton plugs in for CUT: the checkpoint's named stores (G, D, F) and the
// stepper's three optimizers save and load back exactly; the translator reads G alone from that
// checkpoint and translates A → B as the trained G does, and refuses B → A in words; the preview
// grid has the reference's four visuals.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCheckpointManifest } from '../../../src/node/checkpoint/manifest.ts';
import { buildCutConfig, type CutConfig } from '../../../src/shared/run-config.ts';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { loadCheckpointInto, saveCheckpoint } from '../../../src/training/checkpoint/index.ts';
import { cutNetworksForConfig, cutStores, disposeCutNetworks } from '../../../src/training/cut/networks.ts';
import { CUT_PREVIEW_COLUMNS, renderCutGrid } from '../../../src/training/cut/previews.ts';
import { createCutStepper, cutStepOptions } from '../../../src/training/cut/step.ts';
import { loadCutTranslator } from '../../../src/training/cut/translator.ts';
import { keyedRandom } from '../../../src/training/data/random.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-cut-'));
const config = buildCutConfig('tiny', { dataA: '/a', dataB: '/b', ngf: 4, ndf: 4 });

beforeAll(async () => {
  await selectBackend('wasm');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const values = async (t: tf.Tensor) => Array.from(await t.data());

/** Networks of `runConfig` after one step on random `side`-px images (seeded by `seed`), saved as a checkpoint in `folder`. */
async function oneStepSaved(runConfig: CutConfig, side: number, seed: number, folder: string) {
  const nets = cutNetworksForConfig(runConfig);
  const stepper = createCutStepper(nets, cutStepOptions(runConfig, keyedRandom(seed)));
  const realA = tf.randomUniform([1, side, side, 3], -1, 1, 'float32', 2 * seed - 1) as tf.Tensor4D;
  const realB = tf.randomUniform([1, side, side, 3], -1, 1, 'float32', 2 * seed) as tf.Tensor4D;
  await stepper.step(realA, realB);
  const saved = path.join(dir, folder);
  await saveCheckpoint(saved, {
    format: 1,
    model: 'cut',
    step: 1,
    epoch: 0,
    config: runConfig,
    networks: cutStores(nets),
    optimizers: stepper.optimizers,
  });
  return { nets, stepper, realA, realB, saved };
}

describe('a CUT checkpoint', () => {
  it('holds G, D, F and the three Adams, and loads them back into networks built from the config', async () => {
    const { nets, stepper, realA, realB, saved } = await oneStepSaved(config, 16, 1, 'step1');

    const fresh = cutNetworksForConfig({ ...config, seed: 9 });
    const freshStepper = createCutStepper(fresh, cutStepOptions(config));
    const restored = await loadCheckpointInto(saved, {
      networks: cutStores(fresh),
      optimizers: freshStepper.optimizers,
    });
    expect(restored.step).toBe(1);
    for (const [key, store] of Object.entries(cutStores(nets)))
      for (const [name, v] of store.variables)
        expect(await values(cutStores(fresh)[key as 'G']?.variables.get(name) as tf.Variable), name).toEqual(
          await values(v),
        );

    // The translator: G alone, A → B as the trained G; B → A refused in words.
    const manifest = await readCheckpointManifest(saved);
    expect(manifest.model).toBe('cut');
    expect(Object.keys(manifest.networks)).toEqual(['G', 'D', 'F']);
    const translator = await loadCutTranslator(saved, manifest);
    expect(translator.model).toBe('cut');
    expect(translator.sizeMultiple).toBe(4);
    const translated = await translator.translate(realA, 'AtoB');
    const direct = nets.G.apply(realA);
    const [a, b] = [await values(translated), await values(direct)];
    a.forEach((v, i) => {
      expect(Math.abs(v - (b[i] as number))).toBeLessThan(1e-6);
    });
    await expect(translator.translate(realA, 'BtoA')).rejects.toThrow('CUT translates one way only, A → B');
    translator.dispose();

    // The preview: real_A, fake_B, real_B, idt_B side by side, one row per sample.
    expect(CUT_PREVIEW_COLUMNS).toEqual(['real_A', 'fake_B', 'real_B', 'idt_B']);
    const grid = renderCutGrid(nets.G, { a: realA, b: realB, files: { a: ['a.png'], b: ['b.png'] } });
    expect(grid.shape).toEqual([16, 64, 3]);
    tf.dispose([grid, translated, direct, realA, realB]);
    stepper.dispose();
    freshStepper.dispose();
    disposeCutNetworks(nets);
    disposeCutNetworks(fresh);
  });

  it('with a U-Net generator: saved after a step, read back as a translator that is its G, at the U-Net’s size multiple', async () => {
    const unetConfig = buildCutConfig('tiny', { dataA: '/a', dataB: '/b', ngf: 4, ndf: 4, netG: 'unet_32' });
    const { nets, stepper, realA, realB, saved } = await oneStepSaved(unetConfig, 32, 2, 'unet-step1');
    const translator = await loadCutTranslator(saved, await readCheckpointManifest(saved));
    expect(translator.sizeMultiple).toBe(32);
    // A 64 × 32 picture: U-Nets are fully convolutional too, at multiples of 32.
    const wide = tf.randomUniform([1, 32, 64, 3], -1, 1, 'float32', 5) as tf.Tensor4D;
    const [a, b] = [await values(await translator.translate(wide, 'AtoB')), await values(nets.G.apply(wide))];
    expect(a).toHaveLength(32 * 64 * 3);
    a.forEach((v, i) => {
      expect(Math.abs(v - (b[i] as number))).toBeLessThan(1e-6);
    });
    translator.dispose();
    tf.dispose([realA, realB, wide]);
    stepper.dispose();
    disposeCutNetworks(nets);
  });
});
