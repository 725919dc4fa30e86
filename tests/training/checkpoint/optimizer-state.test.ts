// Exact resume: two CycleGAN steps, a checkpoint, then the next steps must be bit for bit the
// same whether the run went on in memory or was rebuilt from the checkpoint (fresh nets of
// another seed, fresh Adams, pools and pool RNG from the checkpoint).
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { loadCheckpointInto } from '../../../src/training/checkpoint/load.ts';
import { saveCheckpoint } from '../../../src/training/checkpoint/save.ts';
import {
  type CycleGanArchitecture,
  type CycleGanNetworks,
  createCycleGanNetworks,
  disposeNetworks,
} from '../../../src/training/cyclegan/networks.ts';
import { createImagePool, type ImagePool, type PoolState } from '../../../src/training/cyclegan/pool.ts';
import {
  type CycleGanLosses,
  type CycleGanStepper,
  createCycleGanStepper,
} from '../../../src/training/cyclegan/step.ts';
import { isFusedAdam } from '../../../src/training/kernels/fused_adam.ts';
import { temporaryDir } from '../../node/checkpoint/helpers.ts';

beforeAll(async () => {
  await selectBackend('wasm');
});

// 16 px: the 70×70 PatchGAN would shrink it to nothing, so the discriminators have 2 layers.
const arch: CycleGanArchitecture = {
  generator: 'resnet_6blocks',
  discriminator: 'n_layers',
  ngf: 4,
  ndf: 4,
  nLayersD: 2,
  seed: 1,
};

/** A resumable RNG: its whole state is one number, saved in the checkpoint's extra. */
function mulberry(state: { s: number }): () => number {
  return () => {
    state.s = (state.s + 0x6d2b79f5) >>> 0;
    let t = state.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Run {
  nets: CycleGanNetworks;
  stepper: CycleGanStepper;
  pools: { A: ImagePool; B: ImagePool };
  rng: { s: number };
}

function startRun(seed: number, rng: { s: number }, poolStates?: Record<string, PoolState>): Run {
  const nets = createCycleGanNetworks({ ...arch, seed });
  const random = mulberry(rng);
  // Size 1 with batch 1: full after the first step, so every later step draws from the RNG.
  const pools = { A: createImagePool(1, random, poolStates?.A), B: createImagePool(1, random, poolStates?.B) };
  const stepper = createCycleGanStepper(nets, {
    objective: 'lsgan',
    lambdaA: 10,
    lambdaB: 10,
    lambdaIdentity: 0.5,
    learningRate: 2e-4,
    beta1: 0.5,
    poolA: (fake) => pools.A.query(fake),
    poolB: (fake) => pools.B.query(fake),
  });
  return { nets, stepper, pools, rng };
}

function endRun(run: Run): void {
  run.stepper.dispose();
  run.pools.A.dispose();
  run.pools.B.dispose();
  disposeNetworks(run.nets);
}

const networks = (nets: CycleGanNetworks) => ({
  G_A: nets.G_A.params,
  G_B: nets.G_B.params,
  D_A: nets.D_A.params,
  D_B: nets.D_B.params,
});

function batch(i: number): [tf.Tensor4D, tf.Tensor4D] {
  return [
    tf.randomUniform([1, 16, 16, 3], -1, 1, 'float32', 100 + i) as tf.Tensor4D,
    tf.randomUniform([1, 16, 16, 3], -1, 1, 'float32', 200 + i) as tf.Tensor4D,
  ];
}

async function step(run: Run, i: number): Promise<CycleGanLosses> {
  const [a, b] = batch(i);
  const losses = await run.stepper.step(a, b);
  tf.dispose([a, b]);
  return losses;
}

function allValues(run: Run): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const store of Object.values(networks(run.nets)))
    for (const [name, variable] of store.variables) out[name] = Float32Array.from(variable.dataSync());
  return out;
}

async function save(run: Run, dir: string): Promise<void> {
  await saveCheckpoint(dir, {
    format: 1,
    model: 'cyclegan',
    step: 2,
    epoch: 0,
    config: arch,
    networks: networks(run.nets),
    optimizers: run.stepper.optimizers,
    pools: { A: await run.pools.A.exportState(), B: await run.pools.B.exportState() },
    extra: { rng: run.rng.s },
  });
}

async function resume(dir: string, spoilBetaPowers = false): Promise<Run> {
  const run = startRun(7, { s: 0 });
  const loaded = await loadCheckpointInto(dir, { networks: networks(run.nets), optimizers: run.stepper.optimizers });
  // The pools and the RNG state come from the checkpoint (the stepper reads run.pools at each step).
  run.rng.s = loaded.extra.rng as number;
  const random = mulberry(run.rng);
  for (const key of ['A', 'B'] as const) {
    run.pools[key].dispose();
    run.pools[key] = createImagePool(1, random, loaded.pools[key]);
  }
  if (spoilBetaPowers) {
    // What tfjs's own setWeights leaves: β^(t+1) from pow, not the product training accumulated.
    for (const optimizer of Object.values(run.stepper.optimizers)) {
      const internals = optimizer as unknown as { accBeta1: tf.Variable; accBeta2: tf.Variable };
      tf.tidy(() => {
        internals.accBeta1.assign(tf.pow(tf.scalar(0.5), 3));
        internals.accBeta2.assign(tf.pow(tf.scalar(0.999), 3));
      });
      // Whoever assigns the β powers tells the fused optimiser, which mirrors them on the host.
      if (isFusedAdam(optimizer)) await optimizer.refreshBetaPowers();
    }
  }
  return run;
}

describe('checkpoint of a CycleGAN run', () => {
  it('resumes exactly: the next steps’ losses and every variable equal the uninterrupted run’s', async () => {
    const dir = path.join(await temporaryDir(), '000000002');
    const baseline = tf.memory().numTensors;

    const original = startRun(1, { s: 42 });
    await step(original, 0);
    await step(original, 1);
    await save(original, dir);
    const expected = [await step(original, 2), await step(original, 3)];
    const expectedValues = allValues(original);
    endRun(original);
    expect(tf.memory().numTensors).toBe(baseline);

    const resumed = await resume(dir);
    expect(resumed.stepper.optimizers.G.iterations).toBe(2);
    const actual = [await step(resumed, 2), await step(resumed, 3)];
    expect(actual).toEqual(expected);
    const actualValues = allValues(resumed);
    expect(Object.keys(actualValues)).toEqual(Object.keys(expectedValues));
    for (const [name, values] of Object.entries(expectedValues)) expect(actualValues[name], name).toEqual(values);
    endRun(resumed);
    expect(tf.memory().numTensors).toBe(baseline);

    // The test can tell: with Adam's β powers as plain setWeights leaves them, the steps drift.
    const spoiled = await resume(dir, true);
    const drifted = [await step(spoiled, 2), await step(spoiled, 3)];
    expect(drifted).not.toEqual(expected);
    endRun(spoiled);
  });
});
