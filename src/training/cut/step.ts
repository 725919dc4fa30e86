// One CUT / FastCUT training iteration (Park et al. 2020), in the reference's order
// (models/cut_model.py optimize_parameters): G translates the batch; D's step on real_B and the
// (detached) fake_B, its LSGAN loss halved; then the step of G and F together (D frozen, just
// updated) on  L_G = λ_GAN·LSGAN(D(fake_B), real) + NCE_both, where
//   NCE   = λ_NCE · mean over the feature layers of PatchNCE(G_enc(fake_B) vs G_enc(real_A)),
//   NCE_Y = the same for G(real_B) vs real_B (CUT's identity term), and
//   NCE_both = (NCE + NCE_Y) / 2 with the identity term, NCE alone without (FastCUT),
// plus, where asked (identityPreservation > 0; 0 is the paper's CUT), the authors' SinCUT identity-preservation
// term idt = identityPreservation · L1(G(real_B), real_B) (models/sincut_model.py), which pins colours that
// PatchNCE is blind to.
// FastCUT's flip equivariance: on half of the steps G translates the horizontally mirrored batch
// and its output's features are mirrored back before they meet the (unmirrored) input's.
import * as tf from '@tensorflow/tfjs-core';
import '../gradients.ts';
import type { CutConfig } from '../../shared/run-config.ts';
import { keyedRandom } from '../data/random.ts';
import { fusedAdam } from '../kernels/index.ts';
import { fusedInstanceNormApplies } from '../kernels/instance_norm.ts';
import { readLossScalars } from '../loop/loss-scalars.ts';
import { ganLoss, l1 } from '../losses/gan.ts';
import { type CutNetworks, cutDiscriminatorParams, cutGeneratorParams, cutHeadParams } from './networks.ts';
import { disposeLocations, type PatchLocations, patchLocations, samplePatchIds } from './patch-sample.ts';
import { patchNceLoss } from './patchnce.ts';

// The reference's loss names and values (loss_names of cut_model.py): NCE and NCE_Y are logged with
// λ_NCE in them, and G is the minimised total, G_GAN + NCE_both (so G ≠ G_GAN + NCE + NCE_Y with the
// identity term: the two NCE terms are averaged). D_real and D_fake are logged before D's halving.
export const CUT_LOSS_NAMES = ['G_GAN', 'D_real', 'D_fake', 'G', 'NCE', 'NCE_Y', 'idt'] as const;
export type CutLossName = (typeof CUT_LOSS_NAMES)[number];
export type CutLosses = Record<CutLossName, number>;

/** The losses a run logs, as the reference's loss_names: NCE_Y only with the identity term, idt only with SinCUT's L1 term. */
export function cutLossNames(options: Pick<CutStepOptions, 'nceIdt' | 'identityPreservation'>): CutLossName[] {
  return CUT_LOSS_NAMES.filter(
    (name) => (name !== 'NCE_Y' || options.nceIdt) && (name !== 'idt' || (options.identityPreservation ?? 0) > 0),
  );
}

export interface CutStepOptions {
  /** λ_GAN: 1 in the paper. */
  lambdaGan: number;
  /** λ_NCE: 1 for CUT, 10 for FastCUT; 0 drops PatchNCE (and F's updates) altogether. */
  lambdaNce: number;
  /** The identity term NCE(real_B, G(real_B)) (CUT's nce_idt). */
  nceIdt: boolean;
  /** SinCUT's lambda_identity: the weight of L1(G(real_B), real_B); 0 or absent in the paper's CUT. */
  identityPreservation?: number;
  /** FastCUT's flip_equivariance. */
  flipEquivariance: boolean;
  /** Locations sampled per layer (fewer where a layer has fewer): 256. */
  numPatches: number;
  /** τ: 0.07. */
  nceT: number;
  /** The reference's nce_includes_all_negatives_from_minibatch (false for CUT and FastCUT). */
  negativesFromMinibatch?: boolean;
  learningRate: number;
  beta1: number;
  /**
   * Uniform [0, 1) numbers for the step's random choices (the flip, then each layer's locations).
   * A trainer gives a stream keyed by (seed, step), as it does the pools', so a resumed run draws the
   * same; absent, one stream for the stepper's life.
   */
  random?: () => number;
}

/** A CUT run's step options (the trainer passes its keyed random stream). */
export function cutStepOptions(config: CutConfig, random?: () => number): CutStepOptions {
  return {
    lambdaGan: config.lambdaGan,
    lambdaNce: config.lambdaNce,
    nceIdt: config.nceIdt,
    identityPreservation: config.identityPreservation,
    flipEquivariance: config.flipEquivariance,
    numPatches: config.numPatches,
    nceT: config.nceT,
    learningRate: config.lr,
    beta1: config.beta1,
    ...(random ? { random } : {}),
  };
}

export interface CutStepper {
  step(realA: tf.Tensor4D, realB: tf.Tensor4D): Promise<CutLosses>;
  /** G's, D's, and F's (the reference's optimizer_F), all Adam(lr, β1, 0.999). */
  optimizers: { G: tf.AdamOptimizer; D: tf.AdamOptimizer; F: tf.AdamOptimizer };
  dispose(): void;
}

/** The gradients in `vars`' order (the optimizer's moment order); a parameter left out gets none (Adam skips it). */
function named(vars: tf.Variable[], grads: tf.NamedTensorMap): { name: string; tensor: tf.Tensor }[] {
  return vars.map((v) => ({ name: v.name, tensor: grads[v.name] as tf.Tensor }));
}

/** As cyclegan/step.ts: where the fused norm runs, the biases it cancels have exactly zero gradient and are not differentiated. */
function trainable(vars: tf.Variable[], cancelled: Set<tf.Variable>, fusedNorm: boolean): tf.Variable[] {
  return fusedNorm ? vars.filter((v) => !cancelled.has(v)) : vars;
}

/**
 * run(a) and run(b) as one pass over [a; b] where their shapes agree (every layer of these networks
 * works per sample, as cyclegan/step.ts's applyPair), else two passes; each output split back.
 */
function pairOf(
  run: (x: tf.Tensor4D) => tf.Tensor4D[],
  a: tf.Tensor4D,
  b: tf.Tensor4D,
): [tf.Tensor4D[], tf.Tensor4D[]] {
  if (!a.shape.every((d, i) => d === b.shape[i])) return [run(a), run(b)];
  const n = a.shape[0];
  const outs = run(tf.concat([a, b], 0));
  return [
    outs.map((o) => tf.slice(o, [0, 0, 0, 0], [n, -1, -1, -1])),
    outs.map((o) => tf.slice(o, [n, 0, 0, 0], [-1, -1, -1, -1])),
  ];
}

const lsgan = (logits: tf.Tensor, real: boolean) => ganLoss('lsgan', logits, real);

/** An input's side of PatchNCE: where its patches were sampled, and their keys (constants of the loss). */
interface Keys {
  locations: PatchLocations[];
  keys: tf.Tensor2D[];
  batch: number;
}

export function createCutStepper(nets: CutNetworks, options: CutStepOptions): CutStepper {
  const optimizerG = fusedAdam(options.learningRate, options.beta1, 0.999);
  const optimizerD = fusedAdam(options.learningRate, options.beta1, 0.999);
  const optimizerF = fusedAdam(options.learningRate, options.beta1, 0.999);
  const { G, D, F, nceLayers } = nets;
  const gVars = cutGeneratorParams(nets);
  const dVars = cutDiscriminatorParams(nets);
  const fVars = cutHeadParams(nets);
  const nce = options.lambdaNce > 0;
  // The downsampling convs' biases, cancelled by their norms in G's plain pass, shift the features
  // PatchNCE reads before those norms: they are trained whenever PatchNCE is on.
  const live = new Set(nce ? G.featureBiases(nceLayers) : []);
  const gCancelled = new Set([...G.params.cancelledByNorm].filter((v) => !live.has(v as tf.Variable)));
  const dCancelled = D.params.cancelledByNorm;
  const random = options.random ?? keyedRandom(0, 0xc07);

  /** The input's features at freshly sampled locations through F, outside any gradient. */
  function keysOf(features: tf.Tensor4D[], batch: number): Keys {
    const locations = features.map((f) => {
      const positions = f.shape[1] * f.shape[2];
      return patchLocations(samplePatchIds(positions, options.numPatches, random), positions);
    });
    return { locations, keys: tf.tidy(() => F.project(features, locations)), batch };
  }

  /** λ_NCE · the mean over layers of each layer's mean PatchNCE, the queries from `features` (reference calculate_NCE_loss). */
  function nceLoss(features: tf.Tensor4D[], side: Keys): tf.Scalar {
    const queries = F.project(features, side.locations);
    const perLayer = queries.map((q, i) =>
      tf.mean(
        patchNceLoss(q, side.keys[i] as tf.Tensor2D, {
          batch: side.batch,
          temperature: options.nceT,
          negativesFromMinibatch: options.negativesFromMinibatch ?? false,
        }),
      ),
    );
    return tf.mul(tf.addN(perLayer), options.lambdaNce / perLayer.length) as tf.Scalar;
  }

  function step(realA: tf.Tensor4D, realB: tf.Tensor4D): Promise<CutLosses> {
    const scalars: Partial<Record<CutLossName, tf.Scalar>> = {};
    const record = (name: CutLossName, value: tf.Scalar) => {
      scalars[name] = tf.keep(value);
      return value;
    };
    const identity = options.nceIdt && nce;
    const identityPreservation = options.identityPreservation ?? 0;
    // G translates real_B too for either identity term.
    const translateB = identity || identityPreservation > 0;
    const flipped = options.flipEquivariance && random() < 0.5;
    // NHWC: axis 2 is the width, the reference's torch.flip(x, [3]) on NCHW.
    const mirror = (x: tf.Tensor4D) => (flipped ? (tf.reverse(x, 2) as tf.Tensor4D) : x);
    const fusedNorm = fusedInstanceNormApplies(realA);

    // D first, on the fake of the G it is about to judge. The reference reuses that forward pass in G's
    // step; here G's step runs it again inside its gradient (same weights, same images, same fake).
    const fakeForD = tf.tidy(() => G.apply(mirror(realA)));
    const discriminatorLoss = () => {
      const [[onReal], [onFake]] = pairOf((x) => [D.apply(x)], realB, fakeForD);
      const fake = record('D_fake', lsgan(onFake as tf.Tensor4D, false));
      const real = record('D_real', lsgan(onReal as tf.Tensor4D, true));
      return tf.mul(tf.add(fake, real), 0.5) as tf.Scalar;
    };
    const discriminatorStep = tf.variableGrads(discriminatorLoss, trainable(dVars, dCancelled, fusedNorm));
    optimizerD.applyGradients(named(dVars, discriminatorStep.grads));
    tf.dispose([discriminatorStep.value, ...Object.values(discriminatorStep.grads), fakeForD]);

    // The inputs' side of PatchNCE (the reference's feat_k, detached): G's encoder as it is before this
    // step, unmirrored inputs, fresh locations per layer for each term.
    let keysA: Keys | null = null;
    let keysB: Keys | null = null;
    if (nce) {
      const encode = (x: tf.Tensor4D) => G.features(x, nceLayers);
      const [featuresA, featuresB] = identity
        ? tf.tidy(() => pairOf(encode, realA, realB))
        : [tf.tidy(() => encode(realA)), null];
      keysA = keysOf(featuresA, realA.shape[0]);
      if (featuresB) keysB = keysOf(featuresB, realB.shape[0]);
      tf.dispose([...featuresA, ...(featuresB ?? [])]);
    }

    const generatorLoss = () => {
      const translate = (x: tf.Tensor4D) => [G.apply(mirror(x))];
      const [[fakeB], idt] = translateB ? pairOf(translate, realA, realB) : [translate(realA), null];
      let total = tf.scalar(0);
      if (options.lambdaGan > 0)
        total = record('G_GAN', tf.mul(lsgan(D.apply(fakeB as tf.Tensor4D), true), options.lambdaGan) as tf.Scalar);
      if (keysA) {
        // The outputs' side (feat_q): their features, mirrored back where the inputs were mirrored.
        const encode = (x: tf.Tensor4D) => G.features(x, nceLayers).map(mirror);
        const [featuresFake, featuresIdt] =
          idt && keysB
            ? pairOf(encode, fakeB as tf.Tensor4D, idt[0] as tf.Tensor4D)
            : [encode(fakeB as tf.Tensor4D), null];
        let both = record('NCE', nceLoss(featuresFake, keysA));
        if (featuresIdt && keysB) both = tf.mul(tf.add(both, record('NCE_Y', nceLoss(featuresIdt, keysB))), 0.5);
        total = tf.add(total, both);
      }
      if (idt && identityPreservation > 0) {
        const distance = l1(idt[0] as tf.Tensor4D, mirror(realB));
        total = tf.add(total, record('idt', tf.mul(distance, identityPreservation) as tf.Scalar));
      }
      return total as tf.Scalar;
    };
    const gTrainable = trainable(gVars, gCancelled, fusedNorm);
    const generatorStep = tf.variableGrads(generatorLoss, nce ? [...gTrainable, ...fVars] : gTrainable);
    optimizerG.applyGradients(named(gVars, generatorStep.grads));
    if (nce) optimizerF.applyGradients(named(fVars, generatorStep.grads));
    // The minimised total is the reference's loss_G.
    scalars.G = generatorStep.value;
    tf.dispose(Object.values(generatorStep.grads));
    for (const side of [keysA, keysB]) {
      if (!side) continue;
      disposeLocations(side.locations);
      tf.dispose(side.keys);
    }
    return readLossScalars(CUT_LOSS_NAMES, scalars);
  }

  return {
    step,
    optimizers: { G: optimizerG, D: optimizerD, F: optimizerF },
    dispose: () => {
      optimizerG.dispose();
      optimizerD.dispose();
      optimizerF.dispose();
    },
  };
}
