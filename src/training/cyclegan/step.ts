// One CycleGAN training iteration, in the reference implementation's order: the generators'
// step (adversarial + cycle + identity losses, discriminators frozen), then the discriminators'
// step on real images and the (pooled) fakes, each D loss halved.
import * as tf from '@tensorflow/tfjs-core';
import '../gradients.ts';
import { fusedAdam } from '../kernels/index.ts';
import { fusedInstanceNormApplies } from '../kernels/instance_norm.ts';
import { readLossScalars } from '../loop/loss-scalars.ts';
import { type GanObjective, ganLoss, generatorGanLoss, l1 } from '../losses/gan.ts';
import { gradientPenalty } from '../losses/gradient-penalty.ts';
import type { Network } from '../models/network.ts';
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

/**
 * The gradients for the optimizer, one entry per parameter in `vars`' order (the order of its moment
 * state); a parameter left out of the gradient computation gets no tensor, which Adam skips.
 */
function named(vars: tf.Variable[], grads: tf.NamedTensorMap): { name: string; tensor: tf.Tensor }[] {
  return vars.map((v) => ({ name: v.name, tensor: grads[v.name] as tf.Tensor }));
}

/**
 * The parameters to differentiate: all of `vars` but the biases a fused instance norm cancels, whose
 * gradient it gives as exactly zero. Adam, from zero moments, leaves such a parameter exactly as it is,
 * so skipping them changes nothing but the work (their gradients, the sums of those over a generator's
 * three passes, their Adam updates). Where the norm is not the fused kernel (another backend, or a
 * gradient of a gradient through the composite norm: WGAN-GP's critic) every parameter is kept.
 */
function trainable(vars: tf.Variable[], cancelled: Set<tf.Variable>, fusedNorm: boolean): tf.Variable[] {
  return fusedNorm ? vars.filter((v) => !cancelled.has(v)) : vars;
}

/**
 * net(a) and net(b) as one pass over the batch [a; b] where their shapes agree, else two passes. Every
 * layer of these networks works per sample (convolutions, reflection pads, instance norm, activations;
 * no batch norm, no dropout), so each half is what its own pass gives. At small sizes a step's cost is
 * mostly per-op overhead, and this takes a third of the generators' ops (and of their gradients') away.
 */
function applyPair(net: Network, a: tf.Tensor4D, b: tf.Tensor4D): [tf.Tensor4D, tf.Tensor4D] {
  if (!a.shape.every((d, i) => d === b.shape[i])) return [net.apply(a), net.apply(b)];
  const [ya, yb] = tf.split(net.apply(tf.concat([a, b], 0)), 2, 0) as [tf.Tensor4D, tf.Tensor4D];
  return [ya, yb];
}

export function createCycleGanStepper(nets: CycleGanNetworks, options: CycleGanStepOptions): CycleGanStepper {
  const optimizerG = fusedAdam(options.learningRate, options.beta1, 0.999);
  const optimizerD = fusedAdam(options.learningRate, options.beta1, 0.999);
  const gVars = generatorParams(nets);
  const dVars = discriminatorParams(nets);
  const gCancelled = new Set([...nets.G_A.params.cancelledByNorm, ...nets.G_B.params.cancelledByNorm]);
  const dCancelled = new Set([...nets.D_A.params.cancelledByNorm, ...nets.D_B.params.cancelledByNorm]);
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
    const identity = options.lambdaIdentity > 0;
    const fusedNorm = fusedInstanceNormApplies(realA);
    const generatorLoss = () => {
      // G_A should leave a B image alone, G_B an A image (Taigman et al.): with the identity loss on,
      // G_A(real_A) and G_A(real_B) are one pass over both images, and so are G_B's two.
      const [fB, idtA] = identity ? applyPair(G_A, realA, realB) : [G_A.apply(realA), null];
      const [fA, idtB] = identity ? applyPair(G_B, realB, realA) : [G_B.apply(realB), null];
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
      if (idtA && idtB) {
        // Weighted by λ_B·λ_idt and λ_A·λ_idt, as the reference does.
        const { lambdaA, lambdaB, lambdaIdentity } = options;
        total = tf.add(total, weighted('idt_A', l1(idtA, realB), lambdaB * lambdaIdentity));
        total = tf.add(total, weighted('idt_B', l1(idtB, realA), lambdaA * lambdaIdentity));
      }
      return total as tf.Scalar;
    };
    const generatorStep = tf.variableGrads(generatorLoss, trainable(gVars, gCancelled, fusedNorm));
    optimizerG.applyGradients(named(gVars, generatorStep.grads));
    tf.dispose([generatorStep.value, ...Object.values(generatorStep.grads)]);

    const pooledB = options.poolB ? options.poolB(fakeB as unknown as tf.Tensor4D) : (fakeB as unknown as tf.Tensor4D);
    const pooledA = options.poolA ? options.poolA(fakeA as unknown as tf.Tensor4D) : (fakeA as unknown as tf.Tensor4D);
    const nCritic = options.objective === 'wgangp' ? (options.nCritic ?? 1) : 1;
    for (let critic = 0; critic < nCritic; critic++) {
      const discriminatorLoss = () => {
        // Each D judges its real images and the pooled fakes in one pass (per-sample layers, see applyPair).
        const [onRealB, onFakeB] = applyPair(D_A, realB, pooledB);
        const [onRealA, onFakeA] = applyPair(D_B, realA, pooledA);
        let lossDA = tf.mul(
          tf.add(ganLoss(options.objective, onRealB, true), ganLoss(options.objective, onFakeB, false)),
          0.5,
        );
        let lossDB = tf.mul(
          tf.add(ganLoss(options.objective, onRealA, true), ganLoss(options.objective, onFakeA, false)),
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
      };
      const dTrainable = trainable(dVars, dCancelled, fusedNorm && options.objective !== 'wgangp');
      const discriminatorStep = tf.variableGrads(discriminatorLoss, dTrainable);
      optimizerD.applyGradients(named(dVars, discriminatorStep.grads));
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
