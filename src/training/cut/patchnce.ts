// PatchNCE (Park et al. 2020, eq. 2-3; the reference's models/patchnce.py): for each sampled patch
// of the output (the query q) the patch of the input at the same place is the positive key k⁺, and
// the other sampled patches of the same input image are the negatives. The loss is the cross-entropy
// of picking the positive among 1 + (P − 1) candidates with logits q·k / τ.
import * as tf from '@tensorflow/tfjs-core';

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
    const q = tf.reshape(queries, [groups, perGroup, dim]);
    const k = tf.reshape(keys, [groups, perGroup, dim]);
    const similarities = tf.matMul(q, k, false, true);
    const diagonal = tf.reshape(tf.eye(perGroup), [1, perGroup, perGroup]);
    const negatives = tf.add(tf.mul(similarities, tf.sub(1, diagonal)), tf.mul(diagonal, MASKED_LOGIT));
    const logits = tf.div(tf.concat([positive, tf.reshape(negatives, [rows, perGroup])], 1), options.temperature);
    // Cross-entropy with the positive at index 0: log Σ exp(logits) − logits[0].
    return tf.sub(tf.logSumExp(logits, 1), tf.reshape(tf.slice(logits, [0, 0], [rows, 1]), [rows])) as tf.Tensor1D;
  });
}
