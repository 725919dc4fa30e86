// The coupled DCGAN networks: output shapes at 32, 64 and 128 px, parameter counts worked out by
// hand, and sharing that really is sharing (a shared weight changes both domains' outputs).
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { coupledDiscriminators } from '../../../src/training/models/coupled-discriminator.ts';
import { coupledGenerators } from '../../../src/training/models/coupled-generator.ts';
import { countParams, disposeParams, type ParamStore } from '../../../src/training/nn/params.ts';

beforeAll(async () => {
  await selectBackend('cpu');
});
const stores: ParamStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) disposeParams(store);
});
const track = <T extends { stores: Record<string, ParamStore> }>(net: T): T => {
  stores.push(...Object.values(net.stores));
  return net;
};

/** A k×k transposed or plain conv with bias. */
const conv = (k: number, cin: number, cout: number) => k * k * cin * cout + cout;

describe('coupled generators', () => {
  test.each([32, 64, 128] as const)('%i px: [N, zDim] → [N, S, S, 3] in (−1, 1) for both domains', (size) => {
    const G = track(coupledGenerators({ imageSize: size, zDim: 10, ngf: 2, shared: 1, seed: 1 }));
    const z = tf.randomNormal([2, 10], 0, 1, 'float32', 3) as tf.Tensor2D;
    const { a, b } = G.generateBoth(z);
    expect(a.shape).toEqual([2, size, size, 3]);
    expect(b.shape).toEqual([2, size, size, 3]);
    expect(Math.max(...a.dataSync().map(Math.abs))).toBeLessThan(1);
    // generateBoth is generate twice with the trunk computed once.
    expect(Array.from(G.generate(z, 'B').dataSync())).toEqual(Array.from(b.dataSync()));
    tf.dispose([z, a, b]);
  });

  test('32 px, zDim 100, ngf 8, paper sharing: trunk 61,496 parameters, heads 387 each', () => {
    const G = track(coupledGenerators({ imageSize: 32, zDim: 100, ngf: 8, shared: 3, seed: 1 }));
    // z → 4×4×32 (dense, one bias per channel), 32 → 16 → 8 channels, then each head 8 → 3.
    const trunk = 100 * 16 * 32 + 32 + conv(4, 32, 16) + conv(4, 16, 8);
    expect(trunk).toBe(61_496);
    expect(countParams(G.stores.G_shared)).toBe(trunk);
    expect(countParams(G.stores.G_A)).toBe(conv(4, 8, 3));
    expect(countParams(G.stores.G_B)).toBe(387);
  });

  test('64 px, ngf 64 (DCGAN): 512 channels at 4×4; sharing nothing gives two whole generators', () => {
    const G = track(coupledGenerators({ imageSize: 64, zDim: 100, ngf: 64, shared: 0, seed: 1 }));
    const whole = 100 * 16 * 512 + 512 + conv(4, 512, 256) + conv(4, 256, 128) + conv(4, 128, 64) + conv(4, 64, 3);
    expect(countParams(G.stores.G_shared)).toBe(0);
    expect(countParams(G.stores.G_A)).toBe(whole);
    expect(countParams(G.stores.G_B)).toBe(whole);
  });

  test('a shared weight moves both domains, a head weight only its own', () => {
    const G = track(coupledGenerators({ imageSize: 32, zDim: 8, ngf: 2, shared: 3, seed: 2 }));
    const z = tf.randomNormal([1, 8], 0, 1, 'float32', 5) as tf.Tensor2D;
    const before = G.generateBoth(z);
    const nudge = (store: ParamStore) => {
      const kernel = [...store.variables.values()][0] as tf.Variable;
      kernel.assign(tf.mul(kernel, 3));
    };
    nudge(G.stores.G_A);
    const afterHead = G.generateBoth(z);
    expect(Array.from(afterHead.a.dataSync())).not.toEqual(Array.from(before.a.dataSync()));
    expect(Array.from(afterHead.b.dataSync())).toEqual(Array.from(before.b.dataSync()));
    nudge(G.stores.G_shared);
    const afterTrunk = G.generateBoth(z);
    expect(Array.from(afterTrunk.b.dataSync())).not.toEqual(Array.from(afterHead.b.dataSync()));
    tf.dispose([z, before.a, before.b, afterHead.a, afterHead.b, afterTrunk.a, afterTrunk.b]);
  });

  test('sharing every layer is refused: each domain keeps its own output layer', () => {
    expect(() => coupledGenerators({ imageSize: 32, zDim: 8, ngf: 2, shared: 4, seed: 1 })).toThrow(/0 to 3 layers/);
  });
});

describe('coupled discriminators', () => {
  test.each([32, 64, 128] as const)('%i px: one logit per image', (size) => {
    const D = track(coupledDiscriminators({ imageSize: size, ndf: 2, shared: 2, seed: 1 }));
    const x = tf.randomUniform([3, size, size, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
    const logits = D.judge(x, 'A');
    expect(logits.shape).toEqual([3, 1, 1, 1]);
    tf.dispose([x, logits]);
  });

  test('32 px, ndf 8, paper sharing: stems 392 each, tail 10,801', () => {
    const D = track(coupledDiscriminators({ imageSize: 32, ndf: 8, shared: 3, seed: 1 }));
    // 3 → 8 per domain; 8 → 16 → 32 → logit shared.
    expect(countParams(D.stores.D_A)).toBe(conv(4, 3, 8));
    expect(countParams(D.stores.D_B)).toBe(392);
    expect(countParams(D.stores.D_shared)).toBe(conv(4, 8, 16) + conv(4, 16, 32) + conv(4, 32, 1));
    expect(countParams(D.stores.D_shared)).toBe(10_801);
  });

  test('a wrong image size is refused with the expected size', () => {
    const D = track(coupledDiscriminators({ imageSize: 32, ndf: 2, shared: 1, seed: 1 }));
    const x = tf.zeros([1, 64, 64, 3]) as tf.Tensor4D;
    expect(() => D.judge(x, 'B')).toThrow(/judge 32 px images, got 64×64/);
    x.dispose();
  });
});
