// One CoGAN training iteration: the coupled discriminators' step (nCritic of them for WGAN-GP),
// then the coupled generators' step, as the reference CoGAN trainer orders them. Each domain's
// discriminator judges that domain (D_A: real A against G_A(z)); the shared layers of each pair
// receive the gradients of both domains, which is what couples them.
import * as tf from '@tensorflow/tfjs-core';
import '../gradients.ts';
import { fusedAdam } from '../kernels/index.ts';
import { readLossScalars } from '../loop/loss-scalars.ts';
import { type GanObjective, ganLoss, generatorGanLoss } from '../losses/gan.ts';
import { gradientPenalty } from '../losses/gradient-penalty.ts';
import type { Domain } from '../models/coupled-generator.ts';
import { type CoGanNetworks, coganDiscriminatorParams, coganGeneratorParams } from './networks.ts';

export const COGAN_LOSS_NAMES = ['D_A', 'D_B', 'G_A', 'G_B'] as const;
export type CoGanLossName = (typeof COGAN_LOSS_NAMES)[number];
export type CoGanLosses = Record<CoGanLossName, number>;

export interface CoGanStepOptions {
  objective: GanObjective;
  learningRate: number;
  beta1: number;
  /** L2 weight decay added to the gradients (PyTorch Adam's weight_decay); 0 for none. */
  weightDecay: number;
  lambdaGp?: number;
  nCritic?: number;
  /**
   * The latent codes of this step's iteration i ([N, zDim]): i < nCritic for the critic
   * iterations, i = nCritic for the generators. The trainer seeds them by (seed, step, i).
   */
  latent: (iteration: number, batch: number) => tf.Tensor2D;
  /** Seeds WGAN-GP's interpolation weights of a critic iteration. */
  penaltySeed?: (criticIteration: number) => number;
}

export interface CoGanStepper {
  step(realA: tf.Tensor4D, realB: tf.Tensor4D): Promise<CoGanLosses>;
  optimizers: { G: tf.AdamOptimizer; D: tf.AdamOptimizer };
  dispose(): void;
}

/** Adds weightDecay·w to each gradient; returns the list Optimizer.applyGradients takes. */
function withDecay(
  grads: tf.NamedTensorMap,
  variables: Map<string, tf.Variable>,
  weightDecay: number,
): { name: string; tensor: tf.Tensor }[] {
  return Object.entries(grads).map(([name, tensor]) => {
    const variable = variables.get(name);
    if (weightDecay === 0 || !variable) return { name, tensor };
    return { name, tensor: tf.add(tensor, tf.mul(variable, weightDecay)) };
  });
}

export function createCoGanStepper(nets: CoGanNetworks, options: CoGanStepOptions): CoGanStepper {
  const optimizerG = fusedAdam(options.learningRate, options.beta1, 0.999);
  const optimizerD = fusedAdam(options.learningRate, options.beta1, 0.999);
  const gVars = coganGeneratorParams(nets);
  const dVars = coganDiscriminatorParams(nets);
  const byName = new Map([...gVars, ...dVars].map((v) => [v.name, v]));
  const { G, D } = nets;
  const nCritic = options.objective === 'wgangp' ? (options.nCritic ?? 1) : 1;

  function apply(optimizer: tf.Optimizer, result: { value: tf.Scalar; grads: tf.NamedTensorMap }): void {
    const gradients = withDecay(result.grads, byName, options.weightDecay);
    optimizer.applyGradients(gradients);
    tf.dispose([result.value, ...Object.values(result.grads), ...gradients.map((g) => g.tensor)]);
  }

  function discriminatorLoss(domain: Domain, real: tf.Tensor4D, fake: tf.Tensor4D, critic: number): tf.Scalar {
    let loss = tf.add(
      ganLoss(options.objective, D.judge(real, domain), true),
      ganLoss(options.objective, D.judge(fake, domain), false),
    );
    if (options.objective === 'wgangp') {
      const seed = (options.penaltySeed?.(critic) ?? critic) + (domain === 'A' ? 0 : 1);
      const alpha = tf.randomUniform([real.shape[0], 1, 1, 1], 0, 1, 'float32', seed);
      loss = tf.add(
        loss,
        gradientPenalty((x) => D.judge(x, domain), real, fake, alpha, options.lambdaGp ?? 10),
      );
    }
    return loss as tf.Scalar;
  }

  function step(realA: tf.Tensor4D, realB: tf.Tensor4D): Promise<CoGanLosses> {
    const batch = realA.shape[0];
    if (realB.shape[0] !== batch)
      throw new Error(`domain batches differ: ${batch} A images, ${realB.shape[0]} B images`);
    const scalars: Partial<Record<CoGanLossName, tf.Scalar>> = {};
    const record = (name: CoGanLossName, value: tf.Scalar) => {
      scalars[name]?.dispose();
      scalars[name] = tf.keep(value);
      return value;
    };

    for (let critic = 0; critic < nCritic; critic++) {
      // The fakes are inputs here: only the discriminators' variables are differentiated.
      const z = options.latent(critic, batch);
      const fakes = G.generateBoth(z);
      const result = tf.variableGrads(
        () =>
          tf.add(
            record('D_A', discriminatorLoss('A', realA, fakes.a, critic)),
            record('D_B', discriminatorLoss('B', realB, fakes.b, critic)),
          ) as tf.Scalar,
        dVars,
      );
      apply(optimizerD, result);
      tf.dispose([z, fakes.a, fakes.b]);
    }

    const z = options.latent(nCritic, batch);
    const result = tf.variableGrads(() => {
      const fakes = G.generateBoth(z);
      return tf.add(
        record('G_A', generatorGanLoss(options.objective, D.judge(fakes.a, 'A'))),
        record('G_B', generatorGanLoss(options.objective, D.judge(fakes.b, 'B'))),
      ) as tf.Scalar;
    }, gVars);
    apply(optimizerG, result);
    z.dispose();

    return readLossScalars(COGAN_LOSS_NAMES, scalars);
  }

  return {
    step,
    optimizers: { G: optimizerG, D: optimizerD },
    dispose: () => {
      optimizerG.dispose();
      optimizerD.dispose();
    },
  };
}
