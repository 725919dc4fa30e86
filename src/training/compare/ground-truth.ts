// The ground truth of an image where the relation between the domains is known per pixel (the
// sample domains: `negative` B = 1 − A, `palette` (r, g, b) → (1 − b, r, g)), in both directions,
// in the networks' [−1, 1] range where 1 − x on [0, 1] is −x. `stripes` has no such map: its
// truth for A images comes from the sample's truth/ folder instead.
import * as tf from '@tensorflow/tfjs-core';
import type { Direction } from '../../shared/basics.ts';
import type { KnownRelation } from '../../shared/compare.ts';

export function truthByRelation(relation: KnownRelation, direction: Direction, images: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    if (relation === 'negative') return tf.neg(images);
    const [r, g, b] = tf.split(images, 3, 3) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
    // A→B: (r, g, b) → (−b, r, g); its inverse B→A: (r′, g′, b′) → (g′, b′, −r′).
    return direction === 'AtoB' ? tf.concat([tf.neg(b), r, g], 3) : tf.concat([g, b, tf.neg(r)], 3);
  });
}
