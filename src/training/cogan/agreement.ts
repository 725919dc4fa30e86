// How well a CoGAN has coupled its domains, where the relation between them is known (the sample
// domains: B = 1 − A for `negative`, a fixed channel remapping for `palette`). The paper's pixel
// agreement ratio: over a fixed set of codes z, the fraction of pixels where T(G_A(z)) and G_B(z)
// agree within a tolerance.
//
// Alone that ratio can flatter an untrained pair: two fresh generators both draw near-grey images,
// and grey is its own negative. So the same ratio is also measured with the codes of B shifted by
// one (T(G_A(z_i)) against G_B(z_{i+1})), the agreement that images of the two domains have without
// being a pair, and κ = (agreement − chance) / (1 − chance), Cohen's kappa, is how much of what
// the pairing could add it does add: 0 for an uncoupled pair, 1 for a perfect one.
import * as tf from '@tensorflow/tfjs-core';
import type { DomainRelation } from '../../shared/run-config.ts';
import type { CoupledGenerators } from '../models/coupled-generator.ts';

export interface Agreement {
  /** Fraction of pixels where T(G_A(z)) and G_B(z) agree. */
  agreement: number;
  /** The same with G_B of another code: what unrelated images of the two domains share. */
  chance: number;
  /** (agreement − chance) / (1 − chance); 0 when chance is 1. */
  kappa: number;
}

/** The relation as a map of domain A images to domain B images, in the networks' [−1, 1] range. */
export function relationTransform(relation: DomainRelation): ((a: tf.Tensor4D) => tf.Tensor4D) | null {
  switch (relation) {
    case 'none':
      return null;
    case 'negative':
      // 1 − x in [0, 1] is −x in [−1, 1].
      return (a) => tf.neg(a);
    case 'palette':
      // (r, g, b) → (1 − b, r, g) in [0, 1] (resources/samples/kinds.ts paletteMap) is (−b, r, g) in [−1, 1].
      return (a) =>
        tf.tidy(() => {
          const [r, g, b] = tf.split(a, 3, 3) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
          return tf.concat([tf.neg(b), r, g], 3);
        });
  }
}

/** Codes per forward pass: keeps memory flat whatever agreementSamples is. */
const CHUNK = 32;

/**
 * Measures the agreement over the codes `z` ([K, zDim], K ≥ 2). `tolerance` is in [0, 1] pixel
 * units; a pixel agrees when every channel does. Returns null when the relation is unknown.
 */
export async function measureAgreement(
  G: CoupledGenerators,
  relation: DomainRelation,
  z: tf.Tensor2D,
  tolerance: number,
): Promise<Agreement | null> {
  const transform = relationTransform(relation);
  if (!transform) return null;
  const k = z.shape[0];
  if (k < 2) throw new Error('the agreement needs at least two latent codes');
  // Tolerance in [−1, 1] units is twice the [0, 1] one.
  const limit = 2 * tolerance;
  const agreeing = (x: tf.Tensor4D, y: tf.Tensor4D) =>
    tf.sum(tf.cast(tf.lessEqual(tf.max(tf.abs(tf.sub(x, y)), 3), limit), 'float32'));
  let paired = 0;
  let shifted = 0;
  let pixels = 0;
  for (let start = 0; start < k; start += CHUNK) {
    const size = Math.min(CHUNK, k - start);
    const [matched, unmatched] = tf.tidy(() => {
      const codes = tf.slice(z, [start, 0], [size, -1]);
      // The B image of the next code (wrapping round): rows i and i + 1 of z.
      const nextCodes = tf.concat(
        Array.from({ length: size }, (_, i) => tf.slice(z, [(start + i + 1) % k, 0], [1, -1])),
        0,
      ) as tf.Tensor2D;
      const { a, b } = G.generateBoth(codes as tf.Tensor2D);
      const expected = transform(a);
      const other = G.generate(nextCodes, 'B');
      return [agreeing(expected, b), agreeing(expected, other)];
    });
    paired += (await matched.data())[0] as number;
    shifted += (await unmatched.data())[0] as number;
    tf.dispose([matched, unmatched]);
    pixels += size * G.imageSize * G.imageSize;
  }
  const agreement = paired / pixels;
  const chance = shifted / pixels;
  return { agreement, chance, kappa: chance >= 1 ? 0 : (agreement - chance) / (1 - chance) };
}
