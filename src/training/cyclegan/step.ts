// One CycleGAN training iteration, in the reference implementation's order: the generators'
// step (adversarial + cycle + identity losses, discriminators frozen), then the discriminators'
// step on real images and the (pooled) fakes, each D loss halved.
import * as tf from '@tensorflow/tfjs-core';
import '../gradients.ts';
import { fusedAdam } from '../kernels/index.ts';
import { readLossScalars } from '../loop/loss-scalars.ts';
import { type GanObjective, ganLoss, generatorGanLoss, l1 } from '../losses/gan.ts';
import { gradientPenalty } from '../losses/gradient-penalty.ts';
import { type CycleGanNetworks, discriminatorParams, generatorParams } from './networks.ts';

// The reference's loss names and values: cycle_* and idt_* are logged with their weights (λ_A·L1,
// λ_B·λ_idt·L1, …), so G_A + G_B + cycle_A + cycle_B + idt_A + idt_B is the generators' total and
// the curves read like the paper code's. The unweighted L1s are not logged under other names: each
// is its curve divided by a weight the run's config holds, the Compare view measures the cycle and
// identity L1 on held-out images, and four more curves would crowd the chart.
export const CYCLEGAN_LOSS_NAMES = ['D_A', 'G_A', 'cycle_A', 'idt_A', 'D_B', 'G_B', 'cycle_B', 'idt_B'] as const;
export type CycleGanLossName = (typeof CYCLEGAN_LOSS_NAMES)[number];
export type CycleGanLosses = Record<CycleGanLossName, number>;

export interface CycleGanStepOptions {
  objective: GanObjective;
  /** Cycle-consistency weights λ_A (A→B→A) and λ_B (B→A→B). */
  lambdaA: number;
  lambdaB: number;
  /** Identity weight as a fraction of λ (the reference's lambda_identity); 0 skips the identity passes. */
  lambdaIdentity: number;
  learningRate: number;
  beta1: number;
  /** WGAN-GP: the penalty weight λ_gp and the critic steps per generator step. */
  lambdaGp?: number;
  nCritic?: number;
  /** Seeds the penalty's interpolation weights α for (step, critic iteration); resume stays exact. */
  penaltySeed?: (criticIteration: number) => number;
  /** Image pools of earlier fakes for the discriminators (Shrivastava et al.); identity when absent. */
  poolA?: (fake: tf.Tensor4D) => tf.Tensor4D;
  poolB?: (fake: tf.Tensor4D) => tf.Tensor4D;
}

export interface CycleGanStepper {
  step(realA: tf.Tensor4D, realB: tf.Tensor4D): Promise<CycleGanLosses>;
  optimizers: { G: tf.AdamOptimizer; D: tf.AdamOptimizer };
  dispose(): void;
}

function named(grads: tf.NamedTensorMap): { name: string; tensor: tf.Tensor }[] {
  return Object.entries(grads).map(([name, tensor]) => ({ name, tensor }));
}

export function createCycleGanStepper(nets: CycleGanNetworks, options: CycleGanStepOptions): CycleGanStepper {
  const optimizerG = fusedAdam(options.learningRate, options.beta1, 0.999);
  const optimizerD = fusedAdam(options.learningRate, options.beta1, 0.999);
  const gVars = generatorParams(nets);
  const dVars = discriminatorParams(nets);
  const { G_A, G_B, D_A, D_B } = nets;

  function step(realA: tf.Tensor4D, realB: tf.Tensor4D): Promise<CycleGanLosses> {
    const scalars: Partial<Record<CycleGanLossName, tf.Scalar>> = {};
    const record = (name: CycleGanLossName, value: tf.Scalar) => {
      scalars[name] = tf.keep(value);
      return value;
    };
    // An L1 term times its weight, recorded as the reference logs it (loss_cycle_A = L1 · λ_A).
    const weighted = (name: CycleGanLossName, loss: tf.Scalar, weight: number) => record(name, tf.mul(loss, weight));
    let fakeA: tf.Tensor4D | null = null;
    let fakeB: tf.Tensor4D | null = null;

    // Generators: the discriminators are not in the variable list, so they stay as they are.
    const generatorStep = tf.variableGrads(() => {
      const fB = G_A.apply(realA);
      const fA = G_B.apply(realB);
      fakeB = tf.keep(fB);
      fakeA = tf.keep(fA);
      const recA = G_B.apply(fB);
      const recB = G_A.apply(fA);
      let total = tf.add(
        record('G_A', generatorGanLoss(options.objective, D_A.apply(fB))),
        record('G_B', generatorGanLoss(options.objective, D_B.apply(fA))),
      );
      total = tf.add(total, weighted('cycle_A', l1(recA, realA), options.lambdaA));
      total = tf.add(total, weighted('cycle_B', l1(recB, realB), options.lambdaB));
      if (options.lambdaIdentity > 0) {
        // G_A should leave a B image alone, G_B an A image (Taigman et al.); weighted by λ_B·λ_idt, λ_A·λ_idt.
        const { lambdaA, lambdaB, lambdaIdentity } = options;
        total = tf.add(total, weighted('idt_A', l1(G_A.apply(realB), realB), lambdaB * lambdaIdentity));
        total = tf.add(total, weighted('idt_B', l1(G_B.apply(realA), realA), lambdaA * lambdaIdentity));
      }
      return total as tf.Scalar;
    }, gVars);
    optimizerG.applyGradients(named(generatorStep.grads));
    tf.dispose([generatorStep.value, ...Object.values(generatorStep.grads)]);

    const pooledB = options.poolB ? options.poolB(fakeB as unknown as tf.Tensor4D) : (fakeB as unknown as tf.Tensor4D);
    const pooledA = options.poolA ? options.poolA(fakeA as unknown as tf.Tensor4D) : (fakeA as unknown as tf.Tensor4D);
    const nCritic = options.objective === 'wgangp' ? (options.nCritic ?? 1) : 1;
    for (let critic = 0; critic < nCritic; critic++) {
      const discriminatorStep = tf.variableGrads(() => {
        let lossDA = tf.mul(
          tf.add(
            ganLoss(options.objective, D_A.apply(realB), true),
            ganLoss(options.objective, D_A.apply(pooledB), false),
          ),
          0.5,
        );
        let lossDB = tf.mul(
          tf.add(
            ganLoss(options.objective, D_B.apply(realA), true),
            ganLoss(options.objective, D_B.apply(pooledA), false),
          ),
          0.5,
        );
        if (options.objective === 'wgangp') {
          // Gulrajani et al.: L = D(fake) − D(real) + λ·GP, the penalty added after the reference's halving.
          const seed = options.penaltySeed?.(critic) ?? critic;
          const alphaA = tf.randomUniform([realB.shape[0], 1, 1, 1], 0, 1, 'float32', seed);
          const alphaB = tf.randomUniform([realA.shape[0], 1, 1, 1], 0, 1, 'float32', seed + 1);
          lossDA = tf.add(lossDA, gradientPenalty(D_A.apply, realB, pooledB, alphaA, options.lambdaGp ?? 10));
          lossDB = tf.add(lossDB, gradientPenalty(D_B.apply, realA, pooledA, alphaB, options.lambdaGp ?? 10));
        }
        if (critic === nCritic - 1) {
          record('D_A', lossDA as tf.Scalar);
          record('D_B', lossDB as tf.Scalar);
        }
        return tf.add(lossDA, lossDB) as tf.Scalar;
      }, dVars);
      optimizerD.applyGradients(named(discriminatorStep.grads));
      tf.dispose([discriminatorStep.value, ...Object.values(discriminatorStep.grads)]);
    }
    tf.dispose([fakeA, fakeB, pooledA, pooledB].filter((t): t is tf.Tensor4D => t !== null));

    return readLossScalars(CYCLEGAN_LOSS_NAMES, scalars);
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
