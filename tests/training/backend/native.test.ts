// The native backends (tfjs-node, tfjs-node-gpu) cannot be installed on machines without access
// to Google's storage (their install downloads libtensorflow). Where one loads, this test trains
// on it; elsewhere it is skipped and says why.
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { createCycleGanNetworks, disposeNetworks } from '../../../src/training/cyclegan/networks.ts';
import { createCycleGanStepper } from '../../../src/training/cyclegan/step.ts';

const require = createRequire(import.meta.url);

function unavailable(pkg: string): string | null {
  try {
    require.resolve(pkg);
    return null;
  } catch {
    return `${pkg} is not installed here (its install script downloads libtensorflow from Google's storage, which this machine cannot reach)`;
  }
}

for (const [pkg, backend] of [
  ['@tensorflow/tfjs-node', 'tensorflow'],
  ['@tensorflow/tfjs-node-gpu', 'tensorflow-gpu'],
] as const) {
  const reason = unavailable(pkg);
  describe(`${backend} backend`, () => {
    if (reason) console.log(`SKIPPED ${backend} backend test: ${reason}`);
    test.skipIf(reason !== null)(
      `trains a CycleGAN step on ${backend} and agrees with cpu on a convolution`,
      async () => {
        const x = tf.randomNormal([2, 9, 9, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
        const w = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 2) as tf.Tensor4D;
        await selectBackend('cpu');
        const expected = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same').dataSync();
        const info = await selectBackend(backend);
        expect(info.name).toBe(backend);
        const actual = tf
          .conv2d(
            tf.tensor(x.dataSync(), x.shape) as tf.Tensor4D,
            tf.tensor(w.dataSync(), w.shape) as tf.Tensor4D,
            2,
            'same',
          )
          .dataSync();
        for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i] as number, 4);
        const nets = createCycleGanNetworks({
          generator: 'resnet_6blocks',
          discriminator: 'n_layers',
          nLayersD: 2,
          ngf: 4,
          ndf: 4,
          seed: 1,
        });
        const stepper = createCycleGanStepper(nets, {
          objective: 'lsgan',
          lambdaA: 10,
          lambdaB: 10,
          lambdaIdentity: 0.5,
          learningRate: 2e-4,
          beta1: 0.5,
        });
        const losses = await stepper.step(
          tf.randomUniform([1, 16, 16, 3], -1, 1) as tf.Tensor4D,
          tf.randomUniform([1, 16, 16, 3], -1, 1) as tf.Tensor4D,
        );
        expect(Object.values(losses).every(Number.isFinite)).toBe(true);
        stepper.dispose();
        disposeNetworks(nets);
      },
    );
  });
}
