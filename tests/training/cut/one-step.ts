// One CUT / FastCUT step on tiny networks with its gradients captured: what the wasm-vs-cpu test
// (step.test.ts) and the webgpu-vs-cpu test (../webgpu/cut-step.test.ts) both run.
import * as tf from '@tensorflow/tfjs-core';
import { buildCutConfig } from '../../../src/shared/run-config.ts';
import { createCutNetworks, disposeCutNetworks } from '../../../src/training/cut/networks.ts';
import { type CutStepOptions, createCutStepper, cutStepOptions } from '../../../src/training/cut/step.ts';
import { keyedRandom } from '../../../src/training/data/random.ts';
import { captureGradients } from '../webgpu/webgpu-available.ts';

export const ARCH = {
  generator: 'resnet_6blocks',
  discriminator: 'n_layers',
  nLayersD: 2,
  ngf: 4,
  ndf: 4,
  seed: 3,
} as const;
const data = { dataA: '/a', dataB: '/b' };

/** The step options of a tiny-preset run of this mode, with a random stream whose first draw is `first`. */
export function optionsFor(mode: 'cut' | 'fastcut', first?: number): CutStepOptions {
  const stream = keyedRandom(5);
  let pending = first;
  const random = () => {
    if (pending === undefined) return stream();
    const value = pending;
    pending = undefined;
    return value;
  };
  return cutStepOptions(buildCutConfig('tiny', { ...data, mode }), random);
}

export function inputs(): [tf.Tensor4D, tf.Tensor4D] {
  // Batch 2, 20 px: the encoder's features are 26² (256 of 676 locations sampled), 10², 5², 5², 5².
  return [
    tf.randomUniform([2, 20, 20, 3], -1, 1, 'float32', 11) as tf.Tensor4D,
    tf.randomUniform([2, 20, 20, 3], -1, 1, 'float32', 12) as tf.Tensor4D,
  ];
}

/** One step with the backend that is active now. */
export async function oneStep(options: CutStepOptions) {
  const nets = createCutNetworks(ARCH);
  const stepper = createCutStepper(nets, options);
  const capture = captureGradients(stepper.optimizers);
  const [realA, realB] = inputs();
  const losses = await stepper.step(realA, realB);
  const gradients = await capture.read();
  tf.dispose([realA, realB]);
  stepper.dispose();
  disposeCutNetworks(nets);
  return { losses, gradients };
}
