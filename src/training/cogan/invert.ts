// Translation with a CoGAN, which has no encoder: find the code z whose image in the source domain
// reconstructs the input (Adam over z, from several seeded random starts at once, L1 + L2 loss),
// then draw that same z in the other domain. Slower than a CycleGAN forward pass (a few hundred
// generator passes per image), so it reports progress and can be cancelled; the final
// reconstruction error says how far the model's source domain is from the input.
import * as tf from '@tensorflow/tfjs-core';
import type { Direction } from '../../shared/basics.ts';
import '../gradients.ts';
import type { CoupledGenerators, Domain } from '../models/coupled-generator.ts';
import { LATENT_STREAM, latentCodes } from './latent.ts';

export interface InversionOptions {
  /** Adam steps over z (default 200). */
  steps?: number;
  /** Random starting codes optimised together; the best one wins (default 4). */
  restarts?: number;
  /** Adam's learning rate over z (default 0.05). */
  learningRate?: number;
  /** Weights of the mean absolute and the mean squared reconstruction error (default 1 and 1). */
  l1Weight?: number;
  l2Weight?: number;
  /** Seeds the starting codes (default 0): the same image and seed give the same translation. */
  seed?: number;
  /** Called every few steps with (steps done, steps in all). */
  onProgress?: (done: number, total: number) => void;
  /** Stops between steps with an AbortError. */
  signal?: AbortSignal;
}

export interface InversionResult {
  /** The translation: the target domain's image of the best code, [1, S, S, 3] in [−1, 1]. */
  output: tf.Tensor4D;
  /** The source domain's image of that code: what the model made of the input. */
  reconstruction: tf.Tensor4D;
  /** Mean absolute difference of reconstruction and input, in [0, 1] pixel units. */
  reconstructionError: number;
  /** The same for the best starting code, before any step: how much the search helped. */
  initialError: number;
  /** The best code, [1, zDim]. */
  z: tf.Tensor2D;
}

/** Anything that carries the coupled generators: a CoGanNetworks, or loadCoGanFromCheckpoint's result. */
export interface HasGenerators {
  G: CoupledGenerators;
}

const PROGRESS_EVERY = 10;

export function directionDomains(direction: Direction): { source: Domain; target: Domain } {
  return direction === 'AtoB' ? { source: 'A', target: 'B' } : { source: 'B', target: 'A' };
}

/** Per-code mean absolute error (in [−1, 1] units) of G_source(z) against the input: [R]. */
function perCodeL1(generated: tf.Tensor4D, image: tf.Tensor4D): tf.Tensor1D {
  return tf.mean(tf.abs(tf.sub(generated, image)), [1, 2, 3]) as tf.Tensor1D;
}

export async function invertAndTranslate(
  nets: HasGenerators,
  image: tf.Tensor4D,
  direction: Direction,
  options: InversionOptions = {},
): Promise<InversionResult> {
  const { G } = nets;
  const steps = options.steps ?? 200;
  const restarts = options.restarts ?? 4;
  const l1Weight = options.l1Weight ?? 1;
  const l2Weight = options.l2Weight ?? 1;
  if (!Number.isInteger(steps) || steps < 0)
    throw new Error(`inversion steps must be a whole number ≥ 0, not ${steps}`);
  if (!Number.isInteger(restarts) || restarts < 1)
    throw new Error(`inversion restarts must be a whole number ≥ 1, not ${restarts}`);
  const [n, h, w, c] = image.shape;
  if (n !== 1 || h !== G.imageSize || w !== G.imageSize || c !== 3)
    throw new Error(
      `inversion takes one ${G.imageSize}×${G.imageSize} RGB image as [1, ${G.imageSize}, ${G.imageSize}, 3], got [${image.shape.join(', ')}]`,
    );
  const { source, target } = directionDomains(direction);

  const start = latentCodes(restarts, G.zDim, options.seed ?? 0, 0, LATENT_STREAM.inversion);
  const z = tf.variable(start, true, `inversion-z-${Math.random().toString(36).slice(2)}`);
  start.dispose();
  const optimizer = tf.train.adam(options.learningRate ?? 0.05);
  const errors = () => tf.tidy(() => perCodeL1(G.generate(z, source), image));
  try {
    const initial = errors();
    const initialError = Math.min(...(await initial.data())) / 2;
    initial.dispose();

    for (let step = 0; step < steps; step++) {
      if (options.signal?.aborted) throw new DOMException('The inversion was cancelled.', 'AbortError');
      const cost = optimizer.minimize(
        () => {
          const diff = tf.sub(G.generate(z, source), image);
          // Each code's own mean error, summed: every code's gradient is its own, whatever R is.
          const l1 = tf.mean(tf.abs(diff), [1, 2, 3]);
          const l2 = tf.mean(tf.square(diff), [1, 2, 3]);
          return tf.sum(tf.add(tf.mul(l1, l1Weight), tf.mul(l2, l2Weight))) as tf.Scalar;
        },
        false,
        [z],
      );
      cost?.dispose();
      if ((step + 1) % PROGRESS_EVERY === 0 || step + 1 === steps) {
        options.onProgress?.(step + 1, steps);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }

    const final = errors();
    const finalErrors = Array.from(await final.data());
    final.dispose();
    const best = finalErrors.indexOf(Math.min(...finalErrors));
    const bestZ = tf.tidy(() => tf.slice(z, [best, 0], [1, -1])) as tf.Tensor2D;
    const { output, reconstruction } = tf.tidy(() => ({
      output: G.generate(bestZ, target),
      reconstruction: G.generate(bestZ, source),
    }));
    return { output, reconstruction, reconstructionError: (finalErrors[best] as number) / 2, initialError, z: bestZ };
  } finally {
    optimizer.dispose();
    z.dispose();
  }
}
