// One CUT / FastCUT step (src/training/cut/step.ts): on wasm (Diptych's kernel pack) it equals the
// same step on tfjs's cpu backend, losses and the gradient of every weight of G, D and F as the
// step hands them to the three Adams (the approach of tests/training/webgpu/cyclegan-step.test.ts);
// and its losses are the reference's (models/cut_model.py): D_real and D_fake of the fake before the
// step, NCE as λ_NCE times the mean over layers of PatchNCE between G(A)'s and A's features at the
// same sampled locations, and G = G_GAN + (NCE + NCE_Y)/2 for CUT, G_GAN + NCE for FastCUT.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import {
  type CutArchitecture,
  type CutNetworks,
  createCutNetworks,
  disposeCutNetworks,
  NCE_FEATURES,
} from '../../../src/training/cut/networks.ts';
import { disposeLocations, patchLocations, samplePatchIds } from '../../../src/training/cut/patch-sample.ts';
import { patchNceLoss } from '../../../src/training/cut/patchnce.ts';
import { type CutLosses, createCutStepper, cutLossNames } from '../../../src/training/cut/step.ts';
import { keyedRandom } from '../../../src/training/data/random.ts';
import { compareGradients } from '../webgpu/webgpu-available.ts';
import { ARCH, inputs, oneStep, optionsFor, UNET_ARCH } from './one-step.ts';

const scalar = async (t: tf.Tensor) => {
  const v = (await t.data())[0] as number;
  t.dispose();
  return v;
};

/** The reference's loss_NCE for (src, tgt) at locations drawn from `random`, computed from the networks as they are. */
async function expectedNce(
  nets: CutNetworks,
  src: tf.Tensor4D,
  random: () => number,
  lambda: number,
  mirrored: boolean,
) {
  // Mirrored (flip equivariance): tgt = G(mirror(src)), its features mirrored back.
  const mirror = (x: tf.Tensor4D) => (mirrored ? (tf.reverse(x, 2) as tf.Tensor4D) : x);
  const featuresK = nets.G.features(src, NCE_FEATURES);
  const locations = featuresK.map((f) => {
    const positions = f.shape[1] * f.shape[2];
    return patchLocations(samplePatchIds(positions, 256, random), positions);
  });
  const value = tf.tidy(() => {
    const keys = nets.F.project(featuresK, locations);
    const queries = nets.F.project(nets.G.features(nets.G.apply(mirror(src)), NCE_FEATURES).map(mirror), locations);
    const perLayer = queries.map((q, i) =>
      tf.mean(patchNceLoss(q, keys[i] as tf.Tensor2D, { batch: src.shape[0], temperature: 0.07 })),
    );
    return tf.mul(tf.div(tf.addN(perLayer), perLayer.length), lambda);
  });
  disposeLocations(locations);
  tf.dispose(featuresK);
  return scalar(value);
}

const close = (actual: number, expected: number, name: string) =>
  expect(Math.abs(actual - expected), name).toBeLessThan(1e-5 * Math.max(1, Math.abs(expected)));

beforeAll(async () => {
  await selectBackend('cpu');
  await selectBackend('wasm');
});

describe('a CUT step', () => {
  test.each<[string, 'cut' | 'fastcut', number | undefined, CutArchitecture, number?]>([
    ['CUT', 'cut', undefined, ARCH],
    ['FastCUT, mirrored', 'fastcut', 0.1, ARCH],
    ['FastCUT, not mirrored', 'fastcut', 0.9, ARCH],
    ['CUT with a U-Net', 'cut', undefined, UNET_ARCH],
    ['FastCUT with a U-Net, not mirrored', 'fastcut', 0.9, UNET_ARCH],
    ['CUT with SinCUT’s identity L1', 'cut', undefined, ARCH, 1],
  ])(
    '%s on wasm gives the cpu backend’s losses and gradients (< 1e-4 relative)',
    { timeout: 240_000 },
    async (_, mode, first, arch, identityPreservation = 0) => {
      await tf.setBackend('cpu');
      const expected = await oneStep(optionsFor(mode, first, identityPreservation), arch);
      await tf.setBackend('wasm');
      const actual = await oneStep(optionsFor(mode, first, identityPreservation), arch);
      await tf.setBackend('wasm');
      for (const [name, value] of Object.entries(expected.losses)) {
        const got = actual.losses[name as keyof CutLosses];
        expect(Math.abs(got - value), name).toBeLessThan(1e-4 * Math.max(1, Math.abs(value)));
      }
      // Every weight of G, D and F (F's own optimiser) comes with a gradient.
      const labels = new Set([...expected.gradients.keys()].map((name) => name.split(':')[0]));
      expect(labels).toEqual(new Set(['G', 'D', 'F']));
      expect([...expected.gradients.keys()].filter((n) => n.startsWith('F:'))).toHaveLength(20);
      // The downsampling convs' biases, read by PatchNCE before their norms, are trained (not rounding noise).
      for (const bias of ['G:G/down0/bias', 'G:G/down1/bias'])
        expect(Math.max(...(expected.gradients.get(bias) ?? []).map(Math.abs)), bias).toBeGreaterThan(1e-6);
      const { worst, nonZero, missing } = compareGradients(actual.gradients, expected.gradients);
      console.info(`${mode}: worst gradient ${worst.name}, relative error ${worst.error.toExponential(2)}`);
      expect(missing).toEqual([]);
      expect(nonZero).toEqual([]);
      expect(worst.error, worst.name).toBeLessThan(1e-4);
    },
  );

  test('logs the reference’s losses: D on the fake before the step, NCE at the sampled locations, G the minimised total', async () => {
    await tf.setBackend('wasm');
    for (const [mode, coin] of [
      ['cut', undefined],
      ['fastcut', 0.9],
      ['fastcut', 0.1],
    ] as const) {
      const nets = createCutNetworks(ARCH);
      const [realA, realB] = inputs();
      // CUT draws no coin; FastCUT's first draw mirrors the batch below 0.5. Then A's locations, then B's.
      const replay = keyedRandom(5);
      const options = optionsFor(mode, coin);
      const mirrored = coin !== undefined && coin < 0.5;
      const lambda = options.lambdaNce;
      const fake = nets.G.apply(mirrored ? (tf.reverse(realA, 2) as tf.Tensor4D) : realA);
      const dFake = await scalar(tf.mean(tf.square(nets.D.apply(fake))));
      const dReal = await scalar(tf.mean(tf.square(tf.sub(nets.D.apply(realB), 1))));
      fake.dispose();
      const nce = await expectedNce(nets, realA, replay, lambda, mirrored);
      const nceY = mode === 'cut' ? await expectedNce(nets, realB, replay, lambda, false) : 0;

      const stepper = createCutStepper(nets, options);
      const losses = await stepper.step(realA, realB);
      close(losses.D_fake, dFake, `${mode} D_fake`);
      close(losses.D_real, dReal, `${mode} D_real`);
      close(losses.NCE, nce, `${mode} NCE`);
      close(losses.NCE_Y, nceY, `${mode} NCE_Y`);
      expect(nce).toBeGreaterThan(0);
      const both = mode === 'cut' ? (losses.NCE + losses.NCE_Y) / 2 : losses.NCE;
      close(losses.G, losses.G_GAN + both, `${mode} G`);
      expect(cutLossNames(options)).toEqual(
        mode === 'cut' ? ['G_GAN', 'D_real', 'D_fake', 'G', 'NCE', 'NCE_Y'] : ['G_GAN', 'D_real', 'D_fake', 'G', 'NCE'],
      );
      stepper.dispose();
      tf.dispose([realA, realB]);
      disposeCutNetworks(nets);
    }
  });

  test('SinCUT’s identity term: idt = w · L1(G(real_B), real_B), added to the minimised total (FastCUT too)', async () => {
    await tf.setBackend('wasm');
    for (const [mode, coin] of [
      ['cut', undefined],
      ['fastcut', 0.9],
    ] as const) {
      const nets = createCutNetworks(ARCH);
      const [realA, realB] = inputs();
      const weight = 2;
      const idt = await scalar(tf.tidy(() => tf.mul(tf.mean(tf.abs(tf.sub(nets.G.apply(realB), realB))), weight)));
      const stepper = createCutStepper(nets, optionsFor(mode, coin, weight));
      const losses = await stepper.step(realA, realB);
      close(losses.idt, idt, `${mode} idt`);
      expect(idt).toBeGreaterThan(0);
      const both = mode === 'cut' ? (losses.NCE + losses.NCE_Y) / 2 : losses.NCE;
      close(losses.G, losses.G_GAN + both + losses.idt, `${mode} G`);
      expect(cutLossNames(optionsFor(mode, coin, weight))).toContain('idt');
      expect(cutLossNames(optionsFor(mode, coin))).not.toContain('idt');
      stepper.dispose();
      tf.dispose([realA, realB]);
      disposeCutNetworks(nets);
    }
  });

  test('leaves no tensors behind', async () => {
    await tf.setBackend('wasm');
    const nets = createCutNetworks(ARCH);
    const stepper = createCutStepper(nets, optionsFor('cut'));
    const [realA, realB] = inputs();
    await stepper.step(realA, realB);
    const before = tf.memory().numTensors;
    await stepper.step(realA, realB);
    expect(tf.memory().numTensors).toBe(before);
    stepper.dispose();
    tf.dispose([realA, realB]);
    disposeCutNetworks(nets);
  });
});
