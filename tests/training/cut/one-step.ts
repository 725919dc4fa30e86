// One CUT / FastCUT step on tiny networks with its gradients captured: what the wasm-vs-cpu test
// (step.test.ts) and the webgpu-vs-cpu test (../webgpu/cut-step.test.ts) both run.
import * as tf from '@tensorflow/tfjs-core';
import { buildCutConfig } from '../../../src/shared/run-config.ts';
import { type CutArchitecture, createCutNetworks, disposeCutNetworks } from '../../../src/training/cut/networks.ts';
import { type CutStepOptions, createCutStepper, cutStepOptions } from '../../../src/training/cut/step.ts';
import { keyedRandom } from '../../../src/training/data/random.ts';
import { captureGradients } from '../webgpu/webgpu-available.ts';

export const ARCH: CutArchitecture = {
  generator: 'resnet_6blocks',
  discriminator: 'n_layers',
  nLayersD: 2,
  ngf: 4,
  ndf: 4,
  seed: 3,
};

/** The same with Diptych's U-Net generator (unet_32: 32 px inputs, features 32², 16², 8², 4², 2²). */
export const UNET_ARCH: CutArchitecture = { ...ARCH, generator: 'unet_32' };
const data = { dataA: '/a', dataB: '/b' };

/** The step options of a tiny-preset run of this mode (and SinCUT's identity weight), with a random stream whose first draw is `first`. */
export function optionsFor(mode: 'cut' | 'fastcut', first?: number, identityPreservation = 0): CutStepOptions {
  const stream = keyedRandom(5);
  let pending = first;
  const random = () => {
    if (pending === undefined) return stream();
    const value = pending;
    pending = undefined;
    return value;
  };
  return cutStepOptions(buildCutConfig('tiny', { ...data, mode, identityPreservation }), random);
}

/** Inputs for an architecture: batch 2, 20 px for the ResNet (its features 26², of which 256 of 676 locations are sampled, 10², 5², 5², 5²), 32 px for unet_32. */
export function inputs(arch: CutArchitecture = ARCH): [tf.Tensor4D, tf.Tensor4D] {
  const side = arch.generator === 'unet_32' ? 32 : 20;
  return [
    tf.randomUniform([2, side, side, 3], -1, 1, 'float32', 11) as tf.Tensor4D,
    tf.randomUniform([2, side, side, 3], -1, 1, 'float32', 12) as tf.Tensor4D,
  ];
}

/** One step with the backend that is active now. */
export async function oneStep(options: CutStepOptions, arch: CutArchitecture = ARCH) {
  const nets = createCutNetworks(arch);
  const stepper = createCutStepper(nets, options);
  const capture = captureGradients(stepper.optimizers);
  const [realA, realB] = inputs(arch);
  const losses = await stepper.step(realA, realB);
  const gradients = await capture.read();
  tf.dispose([realA, realB]);
  stepper.dispose();
  disposeCutNetworks(nets);
  return { losses, gradients };
}
