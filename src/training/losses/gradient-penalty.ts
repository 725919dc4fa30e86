// WGAN-GP's gradient penalty (Gulrajani et al. 2017, eq. 3): λ·E[(‖∇ₓ̂ D(x̂)‖₂ − 1)²] on points
// x̂ = α·real + (1 − α)·fake, α ~ U[0, 1] per sample. It keeps the critic close to 1-Lipschitz, in
// place of WGAN's weight clipping. The critic's weights are trained through the gradient norm, so
// this is a gradient of a gradient: second-order-gradients.ts fills the holes tfjs leaves for that.
// α is an argument, not drawn here, so that a seeded trainer (and a test) decides it.
import * as tf from '@tensorflow/tfjs-core';
import { withCompositeInstanceNorm } from '../kernels/instance_norm.ts';
import './second-order-gradients.ts';

/**
 * The penalty as a scalar that is differentiable with respect to the critic's variables. Call it
 * inside the discriminator's tf.variableGrads. `alpha` has shape [N, 1, 1, 1]. Per sample, the
 * gradient norm runs over all of x̂'s pixels and channels; the critic's output is summed (over its
 * patch logits and the batch) before differentiating, so each sample gets the gradient of its own
 * patch scores (samples do not interact in D: instance norm, no batch norm).
 */
export function gradientPenalty(
  critic: (x: tf.Tensor4D) => tf.Tensor,
  real: tf.Tensor4D,
  fake: tf.Tensor4D,
  alpha: tf.Tensor,
  lambda = 10,
): tf.Scalar {
  return tf.tidy(() => {
    const n = real.shape[0];
    if (alpha.size !== n) throw new Error(`gradientPenalty: alpha has ${alpha.size} values for a batch of ${n}`);
    const a = tf.reshape(alpha, [n, 1, 1, 1]);
    const interpolated = tf.add(tf.mul(a, real), tf.mul(tf.sub(1, a), fake)) as tf.Tensor4D;
    // The fused instance norm has no second-order gradient: the critic runs its composite form here.
    const inputGradient = withCompositeInstanceNorm(() =>
      tf.grad((x: tf.Tensor) => tf.sum(critic(x as tf.Tensor4D)))(interpolated),
    );
    const squaredNorms = tf.sum(tf.square(tf.reshape(inputGradient, [n, -1])), 1);
    // A tiny epsilon keeps the norm's own gradient finite where a gradient is exactly zero.
    const norms = tf.sqrt(tf.add(squaredNorms, 1e-12));
    return tf.mul(lambda, tf.mean(tf.square(tf.sub(norms, 1)))) as tf.Scalar;
  });
}
