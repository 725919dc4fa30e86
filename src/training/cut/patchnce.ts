// PatchNCE (Park et al. 2020, eq. 2-3; the reference's models/patchnce.py): for each sampled patch
// of the output (the query q) the patch of the input at the same place is the positive key k⁺, and
// the other sampled patches of the same input image are the negatives. The loss is the cross-entropy
// of picking the positive among 1 + (P − 1) candidates with logits q·k / τ.
import * as tf from '@tensorflow/tfjs-core';
import { matMul2d } from '../nn/matmul.ts';

export interface PatchNceOptions {
  /** Images in the batch: each query's negatives come from its own image (the paper's internal negatives). */
  batch: number;
  /** τ, the reference's nce_T: 0.07. */
  temperature: number;
  /**
   * The reference's nce_includes_all_negatives_from_minibatch: take negatives from every image of the
   * batch (its single-image setting). False for CUT and FastCUT.
   */
  negativesFromMinibatch?: boolean;
}

/**
 * The similarity the reference puts on the diagonal of the negatives, before dividing by τ: a query
 * against its own positive key, which is not a negative. exp(−10/τ) makes it vanish from the softmax.
 */
const MASKED_LOGIT = -10;

/**
 * Per-query losses [B·P] (the reference's CrossEntropyLoss(reduction='none')) of L2-normalised queries
 * and keys [B·P, D], each image's P rows together. The keys are constants of the loss (the reference
 * detaches them): give them from a pass outside the gradient, as the stepper does.
 */
export function patchNceLoss(queries: tf.Tensor2D, keys: tf.Tensor2D, options: PatchNceOptions): tf.Tensor1D {
  return tf.tidy(() => {
    const [rows, dim] = queries.shape;
    const groups = options.negativesFromMinibatch ? 1 : options.batch;
    if (rows % groups !== 0) throw new Error(`PatchNCE: ${rows} patches do not split into ${groups} images`);
    const perGroup = rows / groups;
    // l_pos: each query against its own key, [B·P, 1].
    const positive = tf.sum(tf.mul(queries, keys), 1, true);
    // l_neg: each query against every key of its image, [B, P, P], the diagonal (its own key) masked.
    // One image (CUT's batch of 1): the 2-D product, fast on wasm (nn/matmul.ts); else per-image batched.
    const similarities =
      groups === 1
        ? tf.reshape(matMul2d(queries, keys, false, true), [1, perGroup, perGroup])
        : tf.matMul(
            tf.reshape(queries, [groups, perGroup, dim]),
            tf.reshape(keys, [groups, perGroup, dim]),
            false,
            true,
          );
    const diagonal = tf.reshape(tf.eye(perGroup), [1, perGroup, perGroup]);
    const negatives = tf.add(tf.mul(similarities, tf.sub(1, diagonal)), tf.mul(diagonal, MASKED_LOGIT));
    const logits = tf.div(tf.concat([positive, tf.reshape(negatives, [rows, perGroup])], 1), options.temperature);
    return crossEntropyWithFirst(logits as tf.Tensor2D);
  });
}

/**
 * Per-row cross-entropy with the target at index 0, log Σ exp(l) − l₀, and its gradient written out:
 * softmax(l) − e₀. The same numbers as differentiating tf.logSumExp, without its max's gradient,
 * which tests every logit against the row's max with a broadcast Equal that alone took 15% of a CUT
 * step on wasm (the max only steadies the exponentials; the loss does not depend on it).
 */
const crossEntropyWithFirst = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const logits = args[0] as tf.Tensor2D;
  const save = args[1] as tf.GradSaveFunc;
  const [rows, columns] = logits.shape;
  save([logits]);
  return {
    value: tf.sub(tf.logSumExp(logits, 1), tf.reshape(tf.slice(logits, [0, 0], [rows, 1]), [rows])),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const target = tf.oneHot(tf.zeros([rows], 'int32'), columns);
      return tf.mul(tf.reshape(dy, [rows, 1]), tf.sub(tf.softmax(saved[0] as tf.Tensor), target));
    },
  };
}) as (logits: tf.Tensor2D) => tf.Tensor1D;
