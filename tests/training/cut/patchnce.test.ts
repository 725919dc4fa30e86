// PatchNCE (src/training/cut/patchnce.ts) against cases worked out by hand, and the patch sampling
// (src/training/cut/patch-sample.ts): distinct locations, the same for queries and keys, and a
// gather whose hand-written gradient is tfjs's own.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import '../../../src/training/gradients.ts';
import { createPatchHeads, patchLocations, samplePatchIds } from '../../../src/training/cut/patch-sample.ts';
import { patchNceLoss } from '../../../src/training/cut/patchnce.ts';
import { keyedRandom } from '../../../src/training/data/random.ts';
import { disposeParams } from '../../../src/training/nn/params.ts';

beforeAll(async () => {
  await selectBackend('cpu');
  await selectBackend('wasm');
});

const values = (t: tf.Tensor) => Array.from(t.dataSync());

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`PatchNCE on ${backend}`, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
    });

    it('gives the hand-computed per-patch cross-entropy, its own key masked out of the negatives', () => {
      // One image, two patches, unit vectors. q0 = (1, 0), q1 = (0, 1); k0 = (1, 0), k1 = (0.6, 0.8); τ = 0.5.
      // Patch 0: positive q0·k0 = 1; negatives [q0·k0 → masked to −10, q0·k1 = 0.6].
      //   logits /τ = [2, −20, 1.2]; loss = log(e² + e⁻²⁰ + e^1.2) − 2 = log(1 + e^−0.8 + e^−22) = 0.3711007
      // Patch 1: positive q1·k1 = 0.8; negatives [q1·k0 = 0, q1·k1 → masked].
      //   logits /τ = [1.6, 0, −20]; loss = log(1 + e^−1.6 + e^−21.6) = 0.1839007
      const q = tf.tensor2d([
        [1, 0],
        [0, 1],
      ]);
      const k = tf.tensor2d([
        [1, 0],
        [0.6, 0.8],
      ]);
      const loss = patchNceLoss(q, k, { batch: 1, temperature: 0.5 });
      const [l0, l1] = values(loss);
      expect(l0).toBeCloseTo(0.3711007, 6);
      expect(l1).toBeCloseTo(0.1839007, 6);
      // At the paper's τ = 0.07 patch 0 is log(1 + e^(−0.4/0.07)) = 0.0032931: the masked −10/τ is nothing.
      expect(values(patchNceLoss(q, k, { batch: 1, temperature: 0.07 }))[0]).toBeCloseTo(0.0032931, 6);

      // The gradient for q0: (Σ softmax_j · k_j − k0)/τ over the candidates [k0 (positive), masked, k1];
      // the masked entry is a constant, so it passes no gradient. softmax of [2, −20, 1.2] ≈ [0.68997, 0, 0.31003].
      const grad = tf.grad((x: tf.Tensor) => tf.sum(patchNceLoss(x as tf.Tensor2D, k, { batch: 1, temperature: 0.5 })))(
        q,
      );
      // z = e² + e^1.2 + e⁻²⁰ = 10.709173: p⁺ = e²/z = 0.6899745, p(k1) = e^1.2/z = 0.3100255, so
      // ∂/∂q0 = ((p⁺·1 + 0.31·0.6 − 1)/τ, (p⁺·0 + 0.31·0.8 − 0)/τ) = (−0.2480204, 0.4960408).
      const g = values(grad);
      expect(g[0]).toBeCloseTo(-0.2480204, 5);
      expect(g[1]).toBeCloseTo(0.4960408, 5);
      tf.dispose([q, k, loss, grad]);
    });

    it("has the gradient of tfjs's own log-sum-exp formulation under any upstream weights (its written-out softmax − e₀)", () => {
      const q = tf.randomNormal([8, 5], 0, 1, 'float32', 3) as tf.Tensor2D;
      const k = tf.randomNormal([8, 5], 0, 1, 'float32', 4) as tf.Tensor2D;
      const weights = tf.randomUniform([8], 0, 2, 'float32', 5);
      // The same loss through tfjs's autodiff: logits as patchNceLoss builds them, then log Σ exp − l₀.
      const reference = (x: tf.Tensor2D) => {
        const positive = tf.sum(tf.mul(x, k), 1, true);
        const diagonal = tf.eye(8);
        const similarities = tf.matMul(x, k, false, true);
        const negatives = tf.add(tf.mul(similarities, tf.sub(1, diagonal)), tf.mul(diagonal, -10));
        const logits = tf.div(tf.concat([positive, negatives], 1), 0.07) as tf.Tensor2D;
        return tf.sub(tf.logSumExp(logits, 1), tf.reshape(tf.slice(logits, [0, 0], [8, 1]), [8]));
      };
      const ours = tf.grad((x: tf.Tensor) =>
        tf.sum(tf.mul(patchNceLoss(x as tf.Tensor2D, k, { batch: 1, temperature: 0.07 }), weights)),
      )(q);
      const theirs = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(reference(x as tf.Tensor2D), weights)))(q);
      expect(values(patchNceLoss(q, k, { batch: 1, temperature: 0.07 }))).toEqual(
        values(reference(q)).map((v) => expect.closeTo(v, 4)),
      );
      const worst = Math.max(...values(tf.abs(tf.sub(ours, theirs))));
      expect(worst).toBeLessThan(1e-4 * Math.max(1, ...values(tf.abs(theirs))));
      expect(Math.max(...values(tf.abs(theirs)))).toBeGreaterThan(1e-3);
      tf.dispose([q, k, weights, ours, theirs]);
    });

    it("takes each image's negatives from that image alone, or from the batch when asked (the reference's two settings)", () => {
      const rows = 6; // two images of three patches
      const unit = (seed: number) => {
        const t = tf.randomNormal([rows, 4], 0, 1, 'float32', seed);
        return tf.div(t, tf.norm(t, 2, 1, true)) as tf.Tensor2D;
      };
      const q = unit(1);
      const k = unit(2);
      const qa = q.arraySync();
      const ka = k.arraySync();
      const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * (b[i] as number), 0);
      /** A plain-loop reference: the candidates of row i are its key, then every key of its group with its own masked. */
      const reference = (group: number, tau: number) =>
        qa.map((qi, i) => {
          const start = Math.floor(i / group) * group;
          const logits = [dot(qi, ka[i] as number[])];
          for (let j = start; j < start + group; j++) logits.push(j === i ? -10 : dot(qi, ka[j] as number[]));
          const scaled = logits.map((l) => l / tau);
          return Math.log(scaled.reduce((s, l) => s + Math.exp(l), 0)) - (scaled[0] as number);
        });
      const own = values(patchNceLoss(q, k, { batch: 2, temperature: 0.07 }));
      const all = values(patchNceLoss(q, k, { batch: 2, temperature: 0.07, negativesFromMinibatch: true }));
      reference(3, 0.07).forEach((v, i) => {
        expect(own[i]).toBeCloseTo(v, 4);
      });
      reference(6, 0.07).forEach((v, i) => {
        expect(all[i]).toBeCloseTo(v, 4);
      });
      tf.dispose([q, k]);
    });

    it('samples the same distinct locations for queries and keys; the gather passes gradients as tfjs’s own', () => {
      const ids = samplePatchIds(20, 8, keyedRandom(3));
      expect(new Set(ids).size).toBe(8);
      expect(Math.max(...ids)).toBeLessThan(20);
      expect(samplePatchIds(20, 8, keyedRandom(3))).toEqual(ids);
      // Fewer positions than patches: every position once, as the reference's randperm(H·W)[:P].
      expect([...samplePatchIds(5, 256, keyedRandom(4))].sort()).toEqual([0, 1, 2, 3, 4]);

      const heads = createPatchHeads({ name: `F-${backend}`, channels: [3], units: 8, seed: 5 });
      const at = patchLocations(ids, 20);
      const x = tf.randomNormal([2, 4, 5, 3], 0, 1, 'float32', 6) as tf.Tensor4D;
      const w = tf.randomNormal([16, 8], 0, 1, 'float32', 7);
      const [projected] = heads.project([x], [at]);
      // Image-major rows, L2-normalised (to within the reference's ε 1e-7 against norms near 1e-3 at init).
      expect(projected?.shape).toEqual([16, 8]);
      for (const n of values(tf.norm(projected as tf.Tensor, 2, 1))) expect(n).toBeCloseTo(1, 3);
      // The same rows through tf.gather (whose gradient is tfjs's, on cpu) give the same values and input gradient.
      const viaHeads = (t: tf.Tensor) => tf.sum(tf.mul(heads.project([t as tf.Tensor4D], [at])[0] as tf.Tensor, w));
      const direct = (t: tf.Tensor) => {
        const rowsOf = tf.reshape(tf.gather(tf.reshape(t, [2, 20, 3]), at.ids, 1), [16, 3]);
        const fc = [...heads.params.variables.values()];
        const h = tf.relu(tf.add(tf.matMul(rowsOf, fc[0] as tf.Tensor2D), fc[1] as tf.Tensor));
        const y = tf.add(tf.matMul(h, fc[2] as tf.Tensor2D), fc[3] as tf.Tensor) as tf.Tensor2D;
        return tf.sum(tf.mul(tf.div(y, tf.add(tf.norm(y, 2, 1, true), 1e-7)), w));
      };
      const mine = tf.grad(viaHeads)(x);
      tf.setBackend('cpu');
      const theirs = tf.grad(direct)(x);
      tf.setBackend(backend);
      const a = values(mine);
      const b = values(theirs);
      const scale = Math.max(...b.map(Math.abs));
      expect(scale).toBeGreaterThan(0);
      a.forEach((v, i) => {
        expect(Math.abs(v - (b[i] as number))).toBeLessThan(1e-5 * scale);
      });
      // Positions not sampled get exactly zero.
      const sampled = new Set(ids);
      for (let n = 0; n < 2; n++)
        for (let pos = 0; pos < 20; pos++)
          if (!sampled.has(pos)) for (let c = 0; c < 3; c++) expect(a[(n * 20 + pos) * 3 + c]).toBe(0);
      tf.dispose([x, w, projected as tf.Tensor, mine, theirs, at.ids, at.inverse]);
      disposeParams(heads.params);
    });
  });
}
