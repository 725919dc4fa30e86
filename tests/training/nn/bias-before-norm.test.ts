// A conv's bias before a non-affine instance norm cancels (norm(x + b) = norm(x)), so the fused path
// skips its add and gives it a zero gradient (nn/layers.ts conv2dInstanceNorm). These tests hold that to
// the old path (bias added, then the norm): same outputs and weight gradients, the bias left exactly as
// it was by Adam, and the same parameters and optimizer state list as before (checkpoint compatibility).

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCycleGanNetworks } from '../../../src/training/cyclegan/networks.ts';
import { createCycleGanStepper } from '../../../src/training/cyclegan/step.ts';
import { patchDiscriminator } from '../../../src/training/models/patchgan.ts';
import { resnetGenerator } from '../../../src/training/models/resnet-generator.ts';
import {
  conv2d,
  conv2dInstanceNorm,
  convTranspose2d,
  convTranspose2dInstanceNorm,
  instanceNorm,
  type Layer,
  leakyRelu,
  relu,
  sequence,
  withNormStatisticsHook,
} from '../../../src/training/nn/layers.ts';
import {
  createParamStore,
  disposeParams,
  type ParamStore,
  paramList,
  seedStream,
} from '../../../src/training/nn/params.ts';
import { rand, relErr, setup } from '../kernels/helpers.ts';

beforeAll(async () => {
  await setup();
});

/** Gives every bias of the store distinct non-zero values, so that a dropped bias would show. */
function randomiseBiases(store: ParamStore, seed: number): void {
  let s = seed;
  for (const [name, v] of store.variables)
    if (name.endsWith('/bias')) v.assign(tf.mul(tf.tensor(rand(v.size, s++), v.shape), 0.5));
}

/** The old path for a whole network: an identity statistics hook runs every norm as add-then-moments. */
const oldPath = <T>(f: () => T): T => withNormStatisticsHook((mean, variance) => ({ mean, variance }), f);

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`bias before a non-affine instance norm on ${backend}`, () => {
    it('a conv + norm (+ activation) layer: same output and input/kernel gradients; the bias gradient is exactly 0', async () => {
      await tf.setBackend(backend);
      for (const [transposed, activation] of [
        [false, 'none'],
        [true, 'none'],
        [false, 'relu'],
        [true, 'relu'],
        [false, 'leakyRelu'],
      ] as const) {
        const store = createParamStore(`layer${transposed}${activation}`);
        const init = { std: 0.3, nextSeed: seedStream(4) };
        const fused: Layer = transposed
          ? convTranspose2dInstanceNorm(store, 'c', init, 3, 5, 7, 1, 1, activation)
          : conv2dInstanceNorm(store, 'c', init, 3, 5, 7, 2, 1, activation);
        const [kernel, bias] = paramList(store) as [tf.Variable, tf.Variable];
        const reference = createParamStore(`ref${transposed}${activation}`);
        const plain = transposed
          ? convTranspose2d(reference, 'c', { std: 0.3, nextSeed: seedStream(4) }, 3, 5, 7, 1, 1)
          : conv2d(reference, 'c', { std: 0.3, nextSeed: seedStream(4) }, 3, 5, 7, 2, 1);
        const act = activation === 'relu' ? [relu] : activation === 'leakyRelu' ? [leakyRelu] : [];
        const old = sequence(plain, instanceNorm, ...act);
        bias.assign(tf.tensor(rand(7, 11)));
        (paramList(reference)[1] as tf.Variable).assign(tf.tensor(rand(7, 11)));
        const x = tf.tensor(rand(2 * 9 * 7 * 5, 3), [2, 9, 7, 5]) as tf.Tensor4D;
        const u = tf.tensor(rand(transposed ? 2 * 18 * 14 * 7 : 2 * 5 * 4 * 7, 5));
        const lossOf = (layer: Layer) => (t: tf.Tensor) => {
          const y = layer(t as tf.Tensor4D);
          return tf.sum(tf.mul(y, tf.reshape(u, y.shape)));
        };
        const run = (layer: Layer, vars: tf.Variable[]) => {
          const y = layer(x);
          const dx = tf.grad(lossOf(layer))(x);
          const { grads } = tf.variableGrads(() => lossOf(layer)(x) as tf.Scalar, vars);
          return { y, dx, dk: grads[vars[0]?.name as string] as tf.Tensor, db: grads[vars[1]?.name as string] };
        };
        const a = run(fused, [kernel, bias]);
        const b = run(old, paramList(reference));
        expect(relErr(a.y.dataSync(), b.y.dataSync())).toBeLessThan(1e-5);
        expect(relErr(a.dx.dataSync(), b.dx.dataSync())).toBeLessThan(1e-5);
        expect(relErr(a.dk.dataSync(), b.dk.dataSync())).toBeLessThan(1e-5);
        // Bites: the kernel gradient is not trivially zero, and the old bias gradient is only round-off.
        expect(Math.max(...Array.from(a.dk.dataSync(), Math.abs))).toBeGreaterThan(1e-2);
        expect(Math.max(...Array.from(b.db?.dataSync() ?? [1], Math.abs))).toBeLessThan(1e-4);
        expect(Array.from(a.db?.dataSync() ?? [1])).toEqual(new Array(7).fill(0));
        // Bites for the activations: a share of the outputs is clipped (ReLU: exactly 0).
        const clipped = Array.from(a.y.dataSync()).filter((v) => v <= 0).length;
        if (activation === 'relu') expect(Array.from(a.y.dataSync()).filter((v) => v === 0).length).toBe(clipped);
        expect(clipped).toBeGreaterThan(activation === 'none' ? 0 : a.y.size / 4);
        disposeParams(store);
        disposeParams(reference);
      }
    });

    it('the ResNet generator and the PatchGAN give the old path’s outputs with non-zero biases', async () => {
      await tf.setBackend(backend);
      const g = resnetGenerator({ name: 'G', ngf: 8, blocks: 2, seed: 1 });
      const d = patchDiscriminator({ name: 'D', ndf: 8, layers: 3, seed: 2 });
      randomiseBiases(g.params, 20);
      randomiseBiases(d.params, 40);
      const x = tf.tensor(rand(2 * 32 * 32 * 3, 6), [2, 32, 32, 3]) as tf.Tensor4D;
      for (const net of [g, d]) {
        const got = net.apply(x).dataSync();
        const want = oldPath(() => net.apply(x)).dataSync();
        expect(relErr(got, want)).toBeLessThan(1e-5);
        // Bites: the hook really ran the old path (it sees every norm).
        let norms = 0;
        withNormStatisticsHook(
          (mean, variance) => {
            norms++;
            return { mean, variance };
          },
          () => net.apply(x),
        );
        expect(norms).toBe(net === g ? 9 : 3);
      }
      disposeParams(g.params);
      disposeParams(d.params);
    });
  });
}

describe('training with the cancelled biases (wasm)', () => {
  it('leaves every norm-fed bias as it was, trains the others, and keeps the optimizer state list', async () => {
    await tf.setBackend('wasm');
    const nets = createCycleGanNetworks({
      generator: 'resnet_6blocks',
      discriminator: 'basic',
      ngf: 4,
      ndf: 4,
      nLayersD: 3,
      seed: 3,
    });
    const all = [nets.G_A, nets.G_B, nets.D_A, nets.D_B];
    for (const [i, n] of all.entries()) randomiseBiases(n.params, 100 * (i + 1));
    const stepper = createCycleGanStepper(nets, {
      objective: 'lsgan',
      lambdaA: 10,
      lambdaB: 10,
      lambdaIdentity: 0.5,
      learningRate: 2e-3,
      beta1: 0.5,
    });
    const before = new Map<string, Float32Array>();
    for (const n of all) for (const [name, v] of n.params.variables) before.set(name, Float32Array.from(v.dataSync()));
    const realA = tf.tensor(rand(32 * 32 * 3, 7), [1, 32, 32, 3]) as tf.Tensor4D;
    const realB = tf.tensor(rand(32 * 32 * 3, 8), [1, 32, 32, 3]) as tf.Tensor4D;
    for (let i = 0; i < 2; i++) await stepper.step(realA, realB);

    // Convs followed by no norm: the generators' head, the discriminators' conv0 and logits.
    const unnormed = /^(G_[AB]\/head|D_[AB]\/(conv0|logits))\/bias$/;
    let kept = 0;
    let trained = 0;
    for (const n of all) {
      for (const [name, v] of n.params.variables) {
        const now = v.dataSync();
        const was = before.get(name) as Float32Array;
        if (name.endsWith('/bias') && !unnormed.test(name)) {
          expect(Array.from(now), name).toEqual(Array.from(was));
          kept++;
        } else {
          expect(relErr(now, was), name).toBeGreaterThan(0);
          trained++;
        }
      }
    }
    expect(kept).toBe(2 * (1 + 2 + 12 + 2) + 2 * 3);
    expect(trained).toBeGreaterThan(kept);

    // The optimizers hold a moment pair for every parameter, in parameter order, as before the change:
    // checkpoints save and restore exactly this list (checkpoint/optimizer-state.ts).
    for (const [key, opt, nets2] of [
      ['G', stepper.optimizers.G, [nets.G_A, nets.G_B]],
      ['D', stepper.optimizers.D, [nets.D_A, nets.D_B]],
    ] as const) {
      const weights = await opt.getWeights();
      const names = nets2.flatMap((n) => paramList(n.params).map((v) => v.name));
      expect(
        weights.map((w) => w.name),
        key,
      ).toEqual(['iter', ...names.map((name) => `${name}/m`), ...names.map((name) => `${name}/v`)]);
      // A cancelled bias's moments stay exactly 0: a restored checkpoint resumes the same way.
      const zeroMoments = weights.filter(
        (w) => /\/bias\/[mv]$/.test(w.name) && !unnormed.test(w.name.replace(/\/[mv]$/, '')),
      );
      expect(zeroMoments.length).toBeGreaterThan(0);
      for (const w of zeroMoments) expect(Math.max(...Array.from(w.tensor.dataSync(), Math.abs)), w.name).toBe(0);
    }
    stepper.dispose();
    for (const n of all) disposeParams(n.params);
  }, 30_000);
});
