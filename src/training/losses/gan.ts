// GAN objectives on discriminator logits. The generator's and the discriminator's sides are
// separate functions because they are not mirror images for every objective (bgan).
import * as tf from '@tensorflow/tfjs-core';

export const GAN_OBJECTIVES = ['lsgan', 'vanilla', 'wgangp', 'bgan'] as const;
export type GanObjective = (typeof GAN_OBJECTIVES)[number];

/** Loss of the discriminator's output against "real" (true) or "fake" (false) for the given objective. */
export function ganLoss(objective: GanObjective, logits: tf.Tensor, targetIsReal: boolean): tf.Scalar {
  return tf.tidy(() => {
    switch (objective) {
      case 'lsgan':
        // Least squares (Mao et al. 2017), as the reference's nn.MSELoss against 1 or 0.
        return tf.mean(tf.square(tf.sub(logits, targetIsReal ? 1 : 0)));
      case 'vanilla':
      case 'bgan':
        // BCE with logits; as a generator loss this is the non-saturating −log D(G(z)). The
        // boundary-seeking GAN trains its discriminator the same way (only G's loss differs).
        return tf.losses.sigmoidCrossEntropy(
          targetIsReal ? tf.onesLike(logits) : tf.zerosLike(logits),
          logits,
        ) as tf.Scalar;
      case 'wgangp':
        // The critic's score: real is pushed up, fake down (the gradient penalty is added by the trainer).
        return targetIsReal ? tf.neg(tf.mean(logits)) : tf.mean(logits);
    }
  });
}

/** The generator's adversarial loss: what it minimises to make D call its output real. */
export function generatorGanLoss(objective: GanObjective, logitsOnFake: tf.Tensor): tf.Scalar {
  if (objective === 'bgan') return tf.tidy(() => tf.mul(0.5, tf.mean(tf.square(logitsOnFake))));
  return ganLoss(objective, logitsOnFake, true);
}

export function l1(a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.abs(tf.sub(a, b))));
}
