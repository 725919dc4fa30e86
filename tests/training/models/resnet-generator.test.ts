// The ResNet generator against the reference implementation's figures: parameter counts as printed
// by pytorch-CycleGAN-and-pix2pix (instance norm, so every conv has a bias), shapes, and the
// N(0, 0.02) initialisation with zero biases (init_weights('normal', 0.02)).
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { resnetGenerator } from '../../../src/training/models/resnet-generator.ts';
import { countParams, disposeParams } from '../../../src/training/nn/params.ts';

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('resnetGenerator', () => {
  it('has the reference parameter counts: resnet_9blocks ngf 64 and resnet_6blocks ngf 32', () => {
    const nine = resnetGenerator({ name: 'r9', ngf: 64, blocks: 9, seed: 1 });
    expect(countParams(nine.params)).toBe(11_378_179);

    // The initialisation, on its biggest layers (3·3·256·256 = 589,824 weights each): N(0, 0.02).
    // The mean's standard error is 0.02/√589,824 ≈ 2.6e-5; the std's relative one ≈ 0.1%.
    for (const key of ['block0/conv0/kernel', 'block8/conv1/kernel']) {
      const values = nine.params.variables.get(`r9/${key}`)?.dataSync() as Float32Array;
      expect(values.length).toBe(589_824);
      let sum = 0;
      let squares = 0;
      for (const v of values) {
        sum += v;
        squares += v * v;
      }
      const mean = sum / values.length;
      const std = Math.sqrt(squares / values.length - mean * mean);
      expect(Math.abs(mean)).toBeLessThan(1.5e-4);
      expect(std).toBeGreaterThan(0.0199);
      expect(std).toBeLessThan(0.0201);
    }
    // Different layers get different draws (one seed stream, not one seed per layer).
    const a = nine.params.variables.get('r9/block0/conv0/kernel')?.dataSync() as Float32Array;
    const b = nine.params.variables.get('r9/block0/conv1/kernel')?.dataSync() as Float32Array;
    expect(a[0]).not.toBe(b[0]);
    let biases = 0;
    for (const [name, variable] of nine.params.variables) {
      if (!name.endsWith('/bias')) continue;
      biases++;
      expect(Math.max(...(variable.dataSync() as Float32Array).map(Math.abs)), name).toBe(0);
    }
    // stem, 2 downs, 2·9 block convs, 2 ups, head.
    expect(biases).toBe(24);
    disposeParams(nine.params);

    const six = resnetGenerator({ name: 'r6', ngf: 32, blocks: 6, seed: 1 });
    expect(countParams(six.params)).toBe(1_965_059);
    disposeParams(six.params);
  });

  it('maps an image to an image of the same size in (−1, 1)', () => {
    const net = resnetGenerator({ name: 'small', ngf: 8, blocks: 2, seed: 3 });
    const y = tf.tidy(() => net.apply(tf.randomUniform([2, 36, 28, 3], -1, 1, 'float32', 4) as tf.Tensor4D));
    expect(y.shape).toEqual([2, 36, 28, 3]);
    expect(tf.max(tf.abs(y)).dataSync()[0]).toBeLessThan(1);
    expect(tf.max(tf.abs(y)).dataSync()[0]).toBeGreaterThan(0);
    y.dispose();
    disposeParams(net.params);
  });

  it('is a function of its seed', () => {
    const make = (name: string, seed: number) => resnetGenerator({ name, ngf: 4, blocks: 1, seed });
    const [a, b, c] = [make('s1', 5), make('s2', 5), make('s3', 6)];
    const first = (n: typeof a) => [...n.params.variables.values()][0]?.dataSync()[0];
    expect(first(a)).toBe(first(b));
    expect(first(a)).not.toBe(first(c));
    for (const n of [a, b, c]) disposeParams(n.params);
  });
});
