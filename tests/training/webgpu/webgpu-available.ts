// Whether this machine can start the webgpu backend for tests, and if not, why. Tests ask for a
// software adapter (SwiftShader, from Debian's chromium package) by forcing the backend, the only way
// the ladder uses one. scripts/run-tests.mjs points Vulkan at SwiftShader (VK_ICD_FILENAMES) and at
// Chromium's Vulkan loader where the system has none.
import * as tf from '@tensorflow/tfjs-core';
import type { BackendInfo } from '../../../src/shared/backend.ts';
import { selectBackend } from '../../../src/training/backend/ladder.ts';

export type WebGpuAvailability = { info: BackendInfo; reason: null } | { info: null; reason: string };

/** Starts webgpu once in this test process (then 'cpu' stays active); never throws. */
export async function startWebGpuForTests(): Promise<WebGpuAvailability> {
  try {
    await selectBackend('cpu');
    const info = await selectBackend('webgpu');
    await tf.setBackend('cpu');
    return { info, reason: null };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    console.warn(`webgpu tests skipped: ${reason}`);
    return { info: null, reason };
  }
}

/** Runs `f` with `backend` active (both already initialised), then goes back to 'cpu'. */
export async function onBackend<T>(backend: 'webgpu' | 'cpu', f: () => Promise<T>): Promise<T> {
  if (!(await tf.setBackend(backend))) throw new Error(`could not switch to ${backend}`);
  try {
    return await f();
  } finally {
    await tf.setBackend('cpu');
  }
}

/** max|a − b| relative to the reference's largest magnitude (floored at 1e-6: all-zero tensors). */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  let scale = 1e-6;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs((actual[i] as number) - (expected[i] as number)));
    scale = Math.max(scale, Math.abs(expected[i] as number));
  }
  return worst / scale;
}

/**
 * Records, by optimiser label and weight name, every gradient a step hands to its optimisers (the
 * optimisers still apply them). read() copies them out and frees them.
 */
export function captureGradients(optimizers: Record<string, tf.Optimizer>): {
  read(): Promise<Map<string, Float32Array>>;
} {
  const captured = new Map<string, tf.Tensor>();
  for (const [label, optimizer] of Object.entries(optimizers)) {
    const apply = optimizer.applyGradients.bind(optimizer);
    optimizer.applyGradients = (grads) => {
      // A gradient the step leaves out (a bias a fused norm cancels: exactly zero) is that zero here,
      // so both backends compare the same names whether or not they fuse.
      for (const { name, tensor } of grads as { name: string; tensor: tf.Tensor | undefined }[]) {
        const variable = tf.engine().registeredVariables[name];
        const gradient = tensor ?? (variable ? tf.zerosLike(variable) : undefined);
        if (gradient) captured.set(`${label}:${name}`, tf.keep(tensor ? gradient.clone() : gradient));
      }
      apply(grads);
    };
  }
  return {
    async read() {
      const out = new Map<string, Float32Array>();
      for (const [name, tensor] of captured) out.set(name, Float32Array.from(await tensor.data()));
      tf.dispose([...captured.values()]);
      captured.clear();
      return out;
    },
  };
}

/**
 * The worst relative error over matching gradients; `negligible` lists the gradients that are zero up
 * to rounding in the reference (below 1e-5 of the step's largest gradient: a bias before a norm, which
 * cancels in the mean subtraction) but not in `actual`: those are compared against the step's scale,
 * since their own scale is rounding noise on both backends.
 */
export function compareGradients(
  actual: Map<string, Float32Array>,
  expected: Map<string, Float32Array>,
): { worst: { name: string; error: number }; nonZero: string[]; missing: string[] } {
  const largest = (values: Float32Array) => values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const stepScale = Math.max(...[...expected.values()].map(largest));
  let worst = { name: '', error: 0 };
  const nonZero: string[] = [];
  const missing = [...expected.keys()].filter((name) => !actual.has(name));
  for (const [name, reference] of expected) {
    const gradient = actual.get(name);
    if (!gradient) continue;
    if (largest(reference) <= 1e-5 * stepScale) {
      if (largest(gradient) > 1e-5 * stepScale) nonZero.push(name);
      continue;
    }
    const error = relativeError(gradient, reference);
    if (error > worst.error) worst = { name, error };
  }
  return { worst, nonZero, missing };
}
