// The losses a CycleGAN step logs are the reference's (cycle_gan_model.py): cycle_A = λ_A·L1(rec_A,
// real_A), idt_A = λ_B·λ_idt·L1(G_A(real_B), real_B), and so on, so the six generator losses add up
// to the total whose gradient the step hands to Adam. Everything expected is computed here from the
// same networks before the step, with plain tf ops rather than the engine's loss functions.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import {
  type CycleGanNetworks,
  createCycleGanNetworks,
  disposeNetworks,
  generatorParams,
} from '../../../src/training/cyclegan/networks.ts';
import { type CycleGanLosses, createCycleGanStepper } from '../../../src/training/cyclegan/step.ts';

interface Weights {
  lambdaA: number;
  lambdaB: number;
  lambdaIdentity: number;
}

const meanAbs = (a: tf.Tensor, b: tf.Tensor) => tf.mean(tf.abs(tf.sub(a, b))) as tf.Scalar;
// LSGAN's generator side: D's patches pushed towards "real" (1).
const lsganReal = (logits: tf.Tensor) => tf.mean(tf.square(tf.sub(logits, 1))) as tf.Scalar;

/** The unweighted L1s, the adversarial terms, the reference's weighted total and its G gradients. */
async function reference(nets: CycleGanNetworks, realA: tf.Tensor4D, realB: tf.Tensor4D, w: Weights) {
  const parts: Record<string, tf.Scalar> = {};
  const { value, grads } = tf.variableGrads(() => {
    const fakeB = nets.G_A.apply(realA);
    const fakeA = nets.G_B.apply(realB);
    const terms = {
      G_A: lsganReal(nets.D_A.apply(fakeB)),
      G_B: lsganReal(nets.D_B.apply(fakeA)),
      cycleA: meanAbs(nets.G_B.apply(fakeB), realA),
      cycleB: meanAbs(nets.G_A.apply(fakeA), realB),
      idtA: meanAbs(nets.G_A.apply(realB), realB),
      idtB: meanAbs(nets.G_B.apply(realA), realA),
    };
    for (const [name, t] of Object.entries(terms)) parts[name] = tf.keep(t);
    const weightedTerms = [
      terms.G_A,
      terms.G_B,
      tf.mul(terms.cycleA, w.lambdaA),
      tf.mul(terms.cycleB, w.lambdaB),
      ...(w.lambdaIdentity > 0
        ? [tf.mul(terms.idtA, w.lambdaB * w.lambdaIdentity), tf.mul(terms.idtB, w.lambdaA * w.lambdaIdentity)]
        : []),
    ];
    return tf.addN(weightedTerms) as tf.Scalar;
  }, generatorParams(nets));
  const numbers: Record<string, number> = {};
  for (const [name, t] of Object.entries(parts)) numbers[name] = (await t.data())[0] as number;
  const gradients = new Map<string, Float32Array>();
  for (const [name, g] of Object.entries(grads)) gradients.set(name, Float32Array.from(await g.data()));
  const total = (await value.data())[0] as number;
  tf.dispose([value, ...Object.values(grads), ...Object.values(parts)]);
  return { parts: numbers, total, gradients };
}

/** One step's logged losses and the generator gradients it handed to its optimiser. */
async function stepOnce(nets: CycleGanNetworks, realA: tf.Tensor4D, realB: tf.Tensor4D, w: Weights) {
  const stepper = createCycleGanStepper(nets, { objective: 'lsgan', ...w, learningRate: 2e-4, beta1: 0.5 });
  const captured = new Map<string, Float32Array | null>();
  const apply = stepper.optimizers.G.applyGradients.bind(stepper.optimizers.G);
  stepper.optimizers.G.applyGradients = (grads) => {
    // A bias the fused norm cancels comes without a gradient (Adam skips it; its gradient is exactly 0).
    for (const { name, tensor } of grads as { name: string; tensor: tf.Tensor | undefined }[])
      captured.set(name, tensor ? Float32Array.from(tensor.dataSync()) : null);
    apply(grads);
  };
  const losses = await stepper.step(realA, realB);
  stepper.dispose();
  return { losses, gradients: captured };
}

const close = (actual: number, expected: number) =>
  expect(Math.abs(actual - expected)).toBeLessThan(1e-5 * Math.max(1, Math.abs(expected)));

describe('the losses a CycleGAN step logs', () => {
  let realA: tf.Tensor4D;
  let realB: tf.Tensor4D;
  beforeAll(async () => {
    await selectBackend('wasm');
    realA = tf.randomUniform([1, 16, 16, 3], -1, 1, 'float32', 21) as tf.Tensor4D;
    realB = tf.randomUniform([1, 16, 16, 3], -1, 1, 'float32', 22) as tf.Tensor4D;
  });
  afterAll(() => tf.dispose([realA, realB]));

  // λ_A ≠ λ_B catches a swapped weight (idt_A goes with λ_B, as in the reference).
  test.each<Weights>([
    { lambdaA: 10, lambdaB: 10, lambdaIdentity: 0.5 },
    { lambdaA: 7, lambdaB: 3, lambdaIdentity: 0.5 },
    { lambdaA: 10, lambdaB: 10, lambdaIdentity: 0 },
  ])('are weighted as the reference logs them and add up to the minimised total (%o)', async (w) => {
    const nets = createCycleGanNetworks({
      generator: 'resnet_6blocks',
      discriminator: 'n_layers',
      nLayersD: 2,
      ngf: 4,
      ndf: 4,
      seed: 5,
    });
    const expected = await reference(nets, realA, realB, w);
    const { losses, gradients } = await stepOnce(nets, realA, realB, w);
    disposeNetworks(nets);
    const p = expected.parts as Record<'G_A' | 'G_B' | 'cycleA' | 'cycleB' | 'idtA' | 'idtB', number>;

    close(losses.G_A, p.G_A);
    close(losses.G_B, p.G_B);
    close(losses.cycle_A, w.lambdaA * p.cycleA);
    close(losses.cycle_B, w.lambdaB * p.cycleB);
    close(losses.idt_A, w.lambdaIdentity > 0 ? w.lambdaB * w.lambdaIdentity * p.idtA : 0);
    close(losses.idt_B, w.lambdaIdentity > 0 ? w.lambdaA * w.lambdaIdentity * p.idtB : 0);

    const generatorNames: (keyof CycleGanLosses)[] = ['G_A', 'G_B', 'cycle_A', 'cycle_B', 'idt_A', 'idt_B'];
    const logged = generatorNames.reduce((sum, name) => sum + losses[name], 0);
    close(logged, expected.total);

    // That total is what the step minimised: its gradients are the ones the step applied.
    expect([...gradients.keys()].sort()).toEqual([...expected.gradients.keys()].sort());
    // Against the largest gradient: biases before a norm have gradients of rounding noise alone.
    let largest = 0;
    let worst = 0;
    for (const [name, g] of expected.gradients) {
      const got = gradients.get(name);
      if (got === null) {
        // Skipped by the step: only the biases before a fused norm, whose gradient is exactly 0.
        expect(name).toMatch(/\/bias$/);
        expect(g.every((v) => v === 0)).toBe(true);
        continue;
      }
      if (got === undefined) throw new Error(`no gradient entry for ${name}`);
      g.forEach((v, i) => {
        largest = Math.max(largest, Math.abs(v));
        worst = Math.max(worst, Math.abs((got[i] as number) - v));
      });
    }
    expect(worst / largest).toBeLessThan(1e-4);
    // The norm-fed biases (stem, downsampling, residual and upsampling convs: 17 per generator) were skipped.
    expect([...gradients.values()].filter((g) => g === null)).toHaveLength(34);
  });
});
