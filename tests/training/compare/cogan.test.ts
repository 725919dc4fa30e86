// CoGAN checkpoints in a comparison: translated by latent inversion through the Translator
// interface (the same output as invertAndTranslate itself), scored without an identity pass, and
// with the pixel agreement the trainer would report, under the run's relation or the image set's.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCoGanConfig, type CoGanConfig } from '../../../src/shared/run-config.ts';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { saveCheckpoint } from '../../../src/training/checkpoint/index.ts';
import { measureAgreement } from '../../../src/training/cogan/agreement.ts';
import { invertAndTranslate } from '../../../src/training/cogan/invert.ts';
import { LATENT_STREAM, latentCodes } from '../../../src/training/cogan/latent.ts';
import { coganNetworksForConfig, coganStores } from '../../../src/training/cogan/networks.ts';
import { loadCoGanTranslator } from '../../../src/training/cogan/translator.ts';
import { coganAgreementFor } from '../../../src/training/compare/cogan-agreement.ts';
import { truthByRelation } from '../../../src/training/compare/ground-truth.ts';
import { scoreCheckpoint } from '../../../src/training/compare/score-checkpoint.ts';
import { disposeParams } from '../../../src/training/nn/params.ts';

let root: string;
const nets: ReturnType<typeof coganNetworksForConfig>[] = [];

async function saveCoGan(name: string, overrides: Partial<CoGanConfig>): Promise<{ dir: string; config: CoGanConfig }> {
  const config = buildCoGanConfig('tiny', { dataA: '/a', dataB: '/b', ngf: 8, ndf: 8, zDim: 8, ...overrides });
  const built = coganNetworksForConfig(config);
  nets.push(built);
  // Larger head weights draw images with contrast (fresh DCGAN weights draw near-grey).
  for (const store of Object.values(built.G.stores))
    for (const variable of store.variables.values()) variable.assign(tf.mul(variable, 20));
  const dir = path.join(root, name);
  await saveCheckpoint(dir, {
    format: 1,
    model: 'cogan',
    step: 11,
    epoch: 0,
    config,
    networks: coganStores(built),
    optimizers: {},
  });
  return { dir, config };
}

beforeAll(async () => {
  await selectBackend('cpu');
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-compare-cogan-'));
});
afterAll(() => {
  for (const built of nets) for (const store of Object.values(coganStores(built))) disposeParams(store);
  fs.rmSync(root, { recursive: true, force: true });
});

describe('CoGAN in a comparison', () => {
  it('translates by inversion, is scored without identity, and refuses other sizes', { timeout: 60_000 }, async () => {
    const { dir } = await saveCoGan('negative', { relation: 'negative' });
    const inversion = { steps: 8, restarts: 2 };
    const translator = await loadCoGanTranslator(dir, undefined, inversion);
    expect(translator).toMatchObject({ model: 'cogan', step: 11, sizeMultiple: 32, tileable: false });
    const A = tf.randomUniform([2, 32, 32, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
    const B = tf.randomUniform([1, 32, 32, 3], -1, 1, 'float32', 2) as tf.Tensor4D;

    // The translator's output for image 1 is invertAndTranslate's for that image (seed = its index).
    const built = nets[0] as (typeof nets)[0];
    const one = tf.slice(A, [1, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D;
    const direct = await invertAndTranslate(built, one, 'AtoB', { ...inversion, seed: 1 });
    const both = await translator.translate(A, 'AtoB');
    const second = tf.slice(both, [1, 0, 0, 0], [1, -1, -1, -1]);
    const difference = tf.tidy(() => tf.max(tf.abs(tf.sub(second, direct.output))));
    expect((await difference.data())[0]).toBeLessThan(1e-5);
    tf.dispose([one, direct.output, direct.reconstruction, direct.z, both, second, difference]);

    const wrong = tf.zeros([1, 16, 16, 3]) as tf.Tensor4D;
    await expect(translator.translate(wrong, 'AtoB')).rejects.toThrow(/32×32 RGB images only/);
    wrong.dispose();

    const truth = { AtoB: truthByRelation('negative', 'AtoB', A), BtoA: truthByRelation('negative', 'BtoA', B) };
    const scores = await scoreCheckpoint(
      translator,
      { A, B, truth },
      { outDir: path.join(root, 'tiles'), agreement: () => coganAgreementFor(dir, null) },
    );
    expect(scores.model).toBe('cogan');
    expect(scores.AtoB.identityL1).toBeNull();
    expect(scores.AtoB.identityPerImage).toEqual([]);
    expect(scores.AtoB.perImage).toHaveLength(2);
    expect(Number.isFinite(scores.AtoB.cycle?.psnr)).toBe(true);
    expect(scores.AtoB.truth?.l1).toBeGreaterThan(0);
    expect(fs.existsSync(scores.BtoA?.reconstructed[0] as string)).toBe(true);
    expect(scores.agreement).not.toBeNull();
    translator.dispose();
    tf.dispose([A, B, truth.AtoB, truth.BtoA]);
  });

  it('measures the agreement the trainer would, under the run’s relation or else the image set’s', async () => {
    const named = await saveCoGan('palette', { relation: 'palette' });
    const built = nets.at(-1) as (typeof nets)[0];
    const codes = latentCodes(
      Math.max(2, named.config.agreementSamples),
      named.config.zDim,
      named.config.seed,
      0,
      LATENT_STREAM.agreement,
    );
    const expected = await measureAgreement(built.G, 'palette', codes, named.config.agreementTolerance);
    codes.dispose();
    expect(await coganAgreementFor(named.dir, 'negative')).toEqual(expected);

    const unnamed = await saveCoGan('none', { relation: 'none' });
    expect(await coganAgreementFor(unnamed.dir, null)).toBeNull();
    const fromSet = await coganAgreementFor(unnamed.dir, 'negative');
    expect(fromSet?.agreement).toBeGreaterThanOrEqual(0);
    expect(fromSet?.agreement).toBeLessThanOrEqual(1);
  });
});
