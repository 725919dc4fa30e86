// The part of Electron's engine window that differs from the engine process (docs/ENGINE-WINDOW.md),
// run in a plain Chromium page: the WebGPU from the page's navigator.gpu through the real
// activateWebGpu, and one real CycleGAN training step on it, beside the same step with the same seeds
// on tfjs's 'cpu' backend in the same page. tests/e2e/engine-window.spec.ts builds this page with Vite,
// serves it over http://127.0.0.1 (WebGPU needs a secure context) and compares the two.
//
// Type-checked with the Node config (no DOM lib): only globalThis and WebGPU's types are used.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import type { GpuAdapter } from '../../../src/shared/backend.ts';
import { activateWebGpu, describeAdapter, SoftwareAdapterRefused } from '../../../src/training/backend/webgpu.ts';
import {
  type CycleGanNetworks,
  createCycleGanNetworks,
  disposeNetworks,
} from '../../../src/training/cyclegan/networks.ts';
import { createCycleGanStepper } from '../../../src/training/cyclegan/step.ts';
import '../../../src/training/gradients.ts';
import { l1 } from '../../../src/training/losses/gan.ts';
import { paramList } from '../../../src/training/nn/params.ts';

/** Checksums without cancellation (Σ|x|, Σx²), so a relative tolerance means something. */
export interface Checksum {
  abs: number;
  sq: number;
}

export interface StepResult {
  backend: string;
  losses: Record<string, number>;
  /** Gradients of G_A and G_B for the A→B→A cycle loss, before the step. */
  gradients: Record<string, Checksum>;
  /** Every network's weights after the step. */
  weights: Record<string, Checksum>;
  /** Tensors alive after everything was disposed, minus before (a leak shows as > 0). */
  leaked: number;
  ms: number;
}

export interface PageResult {
  adapter: GpuAdapter;
  refusedWithoutAllowSoftware: { refused: boolean; error: string };
  webgpu: StepResult;
  cpu: StepResult;
}

const SIZE = 16;

/** The same inputs on every backend: a linear congruential stream in [-1, 1]. */
function image(seed: number): Float32Array {
  const values = new Float32Array(SIZE * SIZE * 3);
  let state = seed;
  for (let i = 0; i < values.length; i++) {
    state = (state * 1664525 + 1013904223) % 4294967296;
    values[i] = (state / 4294967296) * 2 - 1;
  }
  return values;
}

async function checksum(tensors: tf.Tensor[]): Promise<Checksum> {
  const [abs, sq] = tf.tidy(() => {
    const flat = tf.concat(tensors.map((t) => tf.reshape(t, [-1])));
    return [tf.sum(tf.abs(flat)), tf.sum(tf.square(flat))];
  });
  const result = {
    abs: (await (abs as tf.Scalar).data())[0] as number,
    sq: (await (sq as tf.Scalar).data())[0] as number,
  };
  tf.dispose([abs, sq] as tf.Tensor[]);
  return result;
}

async function weightChecksums(nets: CycleGanNetworks): Promise<Record<string, Checksum>> {
  const out: Record<string, Checksum> = {};
  for (const [name, net] of Object.entries(nets) as [string, CycleGanNetworks['G_A']][])
    out[name] = await checksum(paramList(net.params));
  return out;
}

async function oneStep(backend: string): Promise<StepResult> {
  if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} did not start`);
  await tf.ready();
  const started = performance.now();
  const before = tf.memory().numTensors;
  const nets = createCycleGanNetworks({
    generator: 'resnet_6blocks',
    discriminator: 'n_layers',
    nLayersD: 2,
    ngf: 4,
    ndf: 4,
    seed: 3,
  });
  const realA = tf.tensor4d(image(1), [1, SIZE, SIZE, 3]);
  const realB = tf.tensor4d(image(2), [1, SIZE, SIZE, 3]);

  const cycle = tf.variableGrads(
    () => l1(nets.G_B.apply(nets.G_A.apply(realA)), realA) as tf.Scalar,
    [...paramList(nets.G_A.params), ...paramList(nets.G_B.params)],
  );
  const names = Object.keys(cycle.grads);
  const gradients = {
    G_A: await checksum(names.filter((n) => n.startsWith('G_A')).map((n) => cycle.grads[n] as tf.Tensor)),
    G_B: await checksum(names.filter((n) => n.startsWith('G_B')).map((n) => cycle.grads[n] as tf.Tensor)),
  };
  tf.dispose([cycle.value, ...Object.values(cycle.grads)]);

  const stepper = createCycleGanStepper(nets, {
    objective: 'lsgan',
    lambdaA: 10,
    lambdaB: 10,
    lambdaIdentity: 0.5,
    learningRate: 2e-4,
    beta1: 0.5,
  });
  // `await`: the step's losses are read back asynchronously (a GPU backend cannot read synchronously).
  const losses = { ...(await stepper.step(realA, realB)) };
  const weights = await weightChecksums(nets);
  stepper.dispose();
  disposeNetworks(nets);
  tf.dispose([realA, realB]);
  return {
    backend,
    losses,
    gradients,
    weights,
    leaked: tf.memory().numTensors - before,
    ms: performance.now() - started,
  };
}

async function run(): Promise<PageResult> {
  const gpu = (globalThis.navigator as { gpu?: GPU } | undefined)?.gpu;
  if (!gpu) throw new Error('navigator.gpu is missing: Chromium was started without WebGPU');
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('navigator.gpu gave no adapter');
  const described = describeAdapter(adapter);
  // The engine's default (no --backend webgpu): a software adapter is refused.
  let refusedWithoutAllowSoftware = { refused: false, error: '' };
  try {
    await activateWebGpu(gpu, false);
  } catch (error) {
    refusedWithoutAllowSoftware = { refused: error instanceof SoftwareAdapterRefused, error: String(error) };
  }
  await activateWebGpu(gpu, true);
  const webgpu = await oneStep('webgpu');
  const cpu = await oneStep('cpu');
  return { adapter: described, refusedWithoutAllowSoftware, webgpu, cpu };
}

(globalThis as { runEngineWindowCheck?: () => Promise<PageResult> }).runEngineWindowCheck = run;
