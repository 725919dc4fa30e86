// One full CUT or FastCUT iteration (src/training/cut/step.ts: D step, then G and the patch heads),
// at the shapes of bench/cut_ref.py, its PyTorch yardstick: ResNet generator, 70×70 PatchGAN, LSGAN,
// PatchNCE on the reference's five layers with 256 patches, Adam 2e-4 / 0.5, batch 1.
import * as tf from '@tensorflow/tfjs-core';
import { createCutNetworks, disposeCutNetworks } from '../src/training/cut/networks.ts';
import { createCutStepper } from '../src/training/cut/step.ts';
import { type CaseTiming, summarise, timeIterations } from './timing.ts';

export interface CutShape {
  mode: 'cut' | 'fastcut';
  size: number;
  ngf: number;
  blocks: 6 | 9;
  iters: number;
  warmup: number;
}

export async function cutIteration(shape: CutShape): Promise<CaseTiming> {
  const nets = createCutNetworks({
    generator: shape.blocks === 9 ? 'resnet_9blocks' : 'resnet_6blocks',
    discriminator: 'basic',
    ngf: shape.ngf,
    ndf: 64,
    nLayersD: 3,
    seed: 0,
  });
  const fast = shape.mode === 'fastcut';
  let draws = 0;
  const stepper = createCutStepper(nets, {
    lambdaGan: 1,
    lambdaNce: fast ? 10 : 1,
    nceIdt: !fast,
    flipEquivariance: fast,
    numPatches: 256,
    nceT: 0.07,
    learningRate: 2e-4,
    beta1: 0.5,
    // A fixed sequence: every run of the case samples the same patches and flips.
    random: () => {
      draws = (draws * 1103515245 + 12345) % 2 ** 31;
      return draws / 2 ** 31;
    },
  });
  const realA = tf.randomUniform([1, shape.size, shape.size, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
  const realB = tf.randomUniform([1, shape.size, shape.size, 3], -1, 1, 'float32', 2) as tf.Tensor4D;
  const { times, tensorsBefore, tensorsAfter } = await timeIterations(
    () => stepper.step(realA, realB),
    shape.warmup,
    shape.iters,
  );
  stepper.dispose();
  disposeCutNetworks(nets);
  tf.dispose([realA, realB]);
  return { ...summarise(times, 1), tensors_before: tensorsBefore, tensors_after: tensorsAfter };
}

/** bench/cut_ref.py's arguments for the same shapes (two threads, as the CycleGAN yardstick's). */
export function cutRefArgs(shape: CutShape): string[] {
  return [
    '--mode',
    shape.mode,
    '--size',
    String(shape.size),
    '--ngf',
    String(shape.ngf),
    '--blocks',
    String(shape.blocks),
    '--threads',
    '2',
    '--iters',
    String(shape.iters),
    '--warmup',
    String(shape.warmup),
  ];
}
