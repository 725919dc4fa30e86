// The U-Net generator (unet_128, unet_256) against the reference's UnetGenerator: the layer list and
// parameter count worked out in unet-generator.ts (the up convs' doubled input channels are the skip
// concatenations: apply would fail without them), shapes at 128 and 256 px, dropout off by default.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { unetGenerator } from '../../../src/training/models/unet-generator.ts';
import { countParams, disposeParams } from '../../../src/training/nn/params.ts';

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('unetGenerator', () => {
  it('has the layer list of the reference unet_256 at ngf 64: 54,409,603 parameters', () => {
    const g = unetGenerator({ name: 'u256', ngf: 64, downs: 8, seed: 1 });
    expect(countParams(g.params)).toBe(54_409_603);
    const shape = (key: string) => g.params.variables.get(`u256/${key}`)?.shape;
    // Conv kernels are [k, k, in, out]; transposed-conv kernels [k, k, out, in].
    expect(shape('down0/kernel')).toEqual([4, 4, 3, 64]);
    expect(shape('down3/kernel')).toEqual([4, 4, 256, 512]);
    expect(shape('down7/kernel')).toEqual([4, 4, 512, 512]);
    expect(shape('up7/kernel')).toEqual([4, 4, 512, 512]); // innermost: no skip below it
    expect(shape('up6/kernel')).toEqual([4, 4, 512, 1024]);
    expect(shape('up3/kernel')).toEqual([4, 4, 256, 1024]);
    expect(shape('up0/kernel')).toEqual([4, 4, 3, 128]);
    expect(shape('up0/bias')).toEqual([3]);
    expect(g.params.variables.size).toBe(32);
    disposeParams(g.params);
  });

  it('has one 8·ngf level fewer as unet_128: 41,825,667 parameters at ngf 64', () => {
    const g = unetGenerator({ name: 'u128', ngf: 64, downs: 7, seed: 1 });
    expect(countParams(g.params)).toBe(41_825_667);
    disposeParams(g.params);
  });

  it('is the reference UnetGenerator(num_downs=5) as unet_32: 16,657,795 parameters at ngf 64', () => {
    // By the layer list: downs 3→64→128→256→512→512 (4×4, bias) = 6,951,360; ups 512→512,
    // 1024→256, 512→128, 256→64, 128→3 = 9,706,435.
    const g = unetGenerator({ name: 'u32', ngf: 64, downs: 5, seed: 1 });
    expect(countParams(g.params)).toBe(16_657_795);
    disposeParams(g.params);
  });

  it.each([
    { downs: 5, side: 32 },
    { downs: 7, side: 128 },
    { downs: 8, side: 256 },
  ])('maps a $side px image to a $side px image in (−1, 1) with $downs downsamplings', ({ downs, side }) => {
    const g = unetGenerator({ name: `shape${downs}`, ngf: 2, downs, seed: 2 });
    const y = tf.tidy(() => g.apply(tf.randomUniform([2, side, side, 3], -1, 1, 'float32', 5) as tf.Tensor4D));
    expect(y.shape).toEqual([2, side, side, 3]);
    const extremes = tf.tidy(() => tf.max(tf.abs(y)).dataSync()[0] as number);
    expect(extremes).toBeLessThan(1);
    expect(extremes).toBeGreaterThan(0);
    y.dispose();
    disposeParams(g.params);
  });

  it('refuses a size that its downsamplings cannot halve all the way', () => {
    const g = unetGenerator({ name: 'odd', ngf: 2, downs: 7, seed: 2 });
    expect(() => g.apply(tf.zeros([1, 96, 128, 3]))).toThrow(/divisible by 128/);
    disposeParams(g.params);
  });

  it('is deterministic without dropout and stochastic with it', () => {
    const run = (dropout: boolean, name: string) => {
      const g = unetGenerator({ name, ngf: 2, downs: 8, seed: 4, dropout });
      const x = tf.randomUniform([1, 256, 256, 3], -1, 1, 'float32', 7) as tf.Tensor4D;
      const [a, b] = tf.tidy(() => [g.apply(x).dataSync(), g.apply(x).dataSync()]);
      x.dispose();
      disposeParams(g.params);
      let diff = 0;
      for (let i = 0; i < (a as Float32Array).length; i++)
        diff = Math.max(diff, Math.abs((a?.[i] as number) - (b?.[i] as number)));
      return diff;
    };
    expect(run(false, 'plain')).toBe(0);
    expect(run(true, 'dropout')).toBeGreaterThan(1e-4);
  });
});
